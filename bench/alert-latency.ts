/**
 * Alert latency end to end: a service dies (its container is stopped) and the bench's webhook times
 * the first notification, against the configuration's floor (the alert's `for` + group_wait: the
 * failure seen by the very next scrape and evaluation) and its derived worst case
 * (resolve/alert-latency.ts). Critical: ServiceDown of the demo. Warning: HealthProbeFailing of
 * "probed-only", a service without metrics (bench/stack.bench.config.ts says why). Both are broken
 * at once; they are started again and both alerts resolve before the next run.
 */
import { performance } from "node:perf_hooks";
import { startWebhookSink, type WebhookSink } from "../scripts/stack/checks/webhook-sink.ts";
import { latencyTerms, timingSeconds, worstCaseSeconds, type BudgetedSeverity, type LatencyTerms } from "../scripts/stack/resolve/alert-latency.ts";
import { docker } from "../scripts/stack/runtime/docker.ts";
import { durationToSeconds } from "../scripts/stack/syntax/durations.ts";
import { queryPrometheusAt, waitFor } from "../test/e2e/helpers.ts";
import { WEBHOOK_PORT, type StackSession } from "./stack-session.ts";
import { spread, type Spread } from "./stats.ts";

/** Per severity: the alert, the service it is about and the container whose stop breaks it. */
const MEASURED = {
  critical: { alert: "ServiceDown", service: "demo", container: "demo" },
  warning: { alert: "HealthProbeFailing", service: "probed-only", container: "pushgateway" },
} as const satisfies Record<BudgetedSeverity, { alert: string; service: string; container: string }>;
const SEVERITIES = ["critical", "warning"] as const;

export interface SeverityLatency {
  severity: BudgetedSeverity;
  alert: string;
  service: string;
  budgetSeconds: number;
  floorSeconds: number;
  worstCaseSeconds: number;
  terms: LatencyTerms;
  seconds: Spread;
  samples: number[];
}

export interface AlertLatencyResult {
  runs: number;
  /** How long stopping the containers took: the clock starts when they are gone. */
  stopSeconds: Spread;
  severities: SeverityLatency[];
}

interface Notification {
  status: string;
  alerts: Array<{ status: string; labels: Record<string, string> }>;
}

/** The first received notification (from index `from` on) in which `alertname` about `service` has `status`. */
export function findNotification(bodies: readonly string[], from: number, match: { alert: string; service: string }, status: "firing" | "resolved"): number | undefined {
  for (let index = from; index < bodies.length; index++) {
    const body = JSON.parse(bodies[index]!) as Notification;
    if (body.alerts.some((alert) => alert.status === status && alert.labels.alertname === match.alert && alert.labels.service === match.service)) return index;
  }
  return undefined;
}

/** The terms of the measured alerts (ServiceDown: scrape; HealthProbeFailing: probe), as generate derived them. */
function measuredTerms(session: StackSession): Record<BudgetedSeverity, LatencyTerms> {
  const { config, timings } = session.model;
  const times = timingSeconds(config);
  const timing = (service: string) => timings.services[config.services.findIndex((candidate) => candidate.name === service)]!;
  const terms = (severity: BudgetedSeverity, interval: string, holdFor: string) => latencyTerms(config, times, severity, interval, holdFor);
  const critical = timing(MEASURED.critical.service);
  const warning = timing(MEASURED.warning.service);
  return { critical: terms("critical", critical.scrapeInterval, critical.for.critical), warning: terms("warning", warning.probeInterval, warning.alertAfter) };
}

const now = () => Date.now() / 1000;
/** A measured alert is pending or firing (others, e.g. the demo's SLO alerts, may come and go meanwhile). */
const measuredAlerting = async () => {
  for (const { alert, service } of Object.values(MEASURED)) if ((await queryPrometheusAt(`ALERTS{service="${service}", alertname="${alert}"}`, now())) > 0) return true;
  return false;
};

export async function measureAlertLatency(session: StackSession, runs: number, log: (line: string) => void): Promise<AlertLatencyResult> {
  const terms = measuredTerms(session);
  const sink: WebhookSink = await startWebhookSink(session.gateway, WEBHOOK_PORT);
  try {
    await session.cli("up");
    const running = await session.containers();
    const containers = SEVERITIES.map((severity) => {
      const found = running.find((container) => container.service === MEASURED[severity].container);
      if (!found) throw new Error(`no ${MEASURED[severity].container} container: the bench config must run it`);
      return docker().getContainer(found.id);
    });
    // Every probe and scrape has succeeded once, so a failure is a change the rules can see.
    await waitFor("the measured services' probes and scrapes to succeed", 180, async () =>
      (await queryPrometheusAt(`up{job="${MEASURED.critical.service}"} == 1`, now())) > 0 &&
      (await queryPrometheusAt(`min by (service) (probe_success{service="${MEASURED.warning.service}"}) == 1`, now())) > 0 &&
      !(await measuredAlerting()),
    );
    const samples: Record<BudgetedSeverity, number[]> = { critical: [], warning: [] };
    const stops: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const from = sink.received.length;
      const stopping = performance.now();
      await Promise.all(containers.map((container) => container.stop()));
      const stopped = performance.now();
      stops.push((stopped - stopping) / 1000);
      const pending = new Set<BudgetedSeverity>(SEVERITIES);
      const deadline = stopped + (Math.max(...Object.values(terms).map(worstCaseSeconds)) + 120) * 1000;
      while (pending.size > 0) {
        if (performance.now() > deadline) throw new Error(`run ${run}: no notification of ${[...pending].map((s) => MEASURED[s].alert).join(", ")} within its worst case + 120 s`);
        for (const severity of [...pending]) {
          if (findNotification(sink.received, from, MEASURED[severity], "firing") === undefined) continue;
          const seconds = (performance.now() - stopped) / 1000;
          samples[severity].push(seconds);
          pending.delete(severity);
          log(`  run ${run}: ${MEASURED[severity].alert} (${severity}) of ${MEASURED[severity].service} notified ${seconds.toFixed(1)} s after the stop`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await Promise.all(containers.map((container) => container.start()));
      const resolvedFrom = sink.received.length;
      await waitFor("both alerts to resolve and their groups to be flushed", 300, async () =>
        !(await measuredAlerting()) && SEVERITIES.every((severity) => findNotification(sink.received, resolvedFrom, MEASURED[severity], "resolved") !== undefined),
      );
    }
    return {
      runs,
      stopSeconds: spread(stops),
      severities: SEVERITIES.map((severity) => ({
        severity,
        alert: MEASURED[severity].alert,
        service: MEASURED[severity].service,
        budgetSeconds: durationToSeconds(session.model.config.alerting.latencyBudget[severity]),
        floorSeconds: terms[severity].for + terms[severity].groupWait,
        worstCaseSeconds: worstCaseSeconds(terms[severity]),
        terms: terms[severity],
        seconds: spread(samples[severity]),
        samples: samples[severity],
      })),
    };
  } finally {
    await sink.close();
  }
}
