/**
 * The static rule packs against the alert latency budget (resolve/alert-latency.ts) with the default
 * settings: an alert over its severity's budget must be listed here with the reason its `for` is part
 * of what it detects, and a listed alert must really be over (so the list stays true).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { stackConfigSchema } from "../../../scripts/stack/config/schema.ts";
import { BUDGETED_SEVERITIES, probeIntervalSeconds, scrapeTimeoutSeconds, timingSeconds, worstCaseSeconds, type BudgetedSeverity } from "../../../scripts/stack/resolve/alert-latency.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { durationToSeconds, formatDuration } from "../../../scripts/stack/syntax/durations.ts";

/** Why a `for` is part of what the alert detects, not a delay before reporting it. */
const RATE = "a rate of errors or drops over a rate() window, sustained: single failures are retried or expected";
const SATURATION = "a resource near its limit, sustained: short peaks are normal";
const STALLED = "a component degraded but still serving (it keeps its last good state), sustained: a restart or reload in progress clears it";
const TREND = "a slow trend (certificate expiry, disk filling, retention runs hours apart)";

const OVER_BUDGET_BY_DESIGN: Readonly<Record<string, string>> = {
  AlertmanagerConfigReloadFailed: STALLED,
  AlertmanagerNotificationsFailing: RATE,
  AlloyLokiWriteErrors: RATE,
  AlloyDroppingEntries: RATE,
  AlloyComponentUnhealthy: STALLED,
  ContainerMemoryNearLimit: SATURATION,
  HostHighCpuUsage: SATURATION,
  HostMemoryLow: SATURATION,
  HostDiskSpaceLow: SATURATION,
  HostDiskFillingUp: TREND,
  NodeExporterCollectorFailing: STALLED,
  NodeExporterTextfileError: STALLED,
  LokiRequestErrors: RATE,
  LokiDiscardingSamples: RATE,
  LokiChunkFlushFailing: RATE,
  LokiRetentionStalled: TREND,
  OtelcolReceiverRefusingData: RATE,
  OtelcolExporterSendFailing: RATE,
  OtelcolExporterQueueNearCapacity: SATURATION,
  PrometheusIngestionErrors: RATE,
  PromtailRequestErrors: RATE,
  PromtailDroppingEntries: RATE,
  PromtailNoActiveTargets: STALLED,
  PrometheusConfigReloadFailed: STALLED,
  PrometheusRuleEvaluationFailures: RATE,
  PrometheusNotificationsFailing: RATE,
  SyntheticProbeSlow: SATURATION,
  TlsCertificateExpiringSoon: TREND,
};

interface StaticAlert {
  pack: string;
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
}

function staticAlerts(): StaticAlert[] {
  const dir = join(REPO_ROOT, "rules");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".yml"))
    .flatMap((file) => {
      const pack = parse(readFileSync(join(dir, file), "utf8")) as { groups: Array<{ rules: StaticAlert[] }> };
      return pack.groups.flatMap((group) => group.rules.filter((rule) => rule.alert).map((rule) => ({ ...rule, pack: file })));
    });
}

const isBudgeted = (severity: string | undefined): severity is BudgetedSeverity => (BUDGETED_SEVERITIES as readonly string[]).includes(severity ?? "");

describe("static rule packs and the latency budget (default settings)", () => {
  const config = stackConfigSchema.parse({ services: [{ name: "x", url: "http://x:1" }] });
  const times = timingSeconds(config);
  const probe = probeIntervalSeconds(times, config.services[0]!);
  const worstCases = staticAlerts()
    .filter((rule) => isBudgeted(rule.labels?.severity))
    .map((rule) => {
      const severity = rule.labels!.severity as BudgetedSeverity;
      const interval = rule.expr.includes("probe_") ? probe : times.scrape;
      const worst = worstCaseSeconds({
        interval,
        timeout: scrapeTimeoutSeconds(interval),
        evaluation: times.evaluation,
        for: rule.for ? durationToSeconds(rule.for) : 0,
        groupWait: times.groupWait[severity],
      });
      return { name: `${rule.pack} ${rule.alert} (${severity}, worst case ${formatDuration(worst)})`, alert: rule.alert, over: worst > times.budget[severity] };
    });

  it("finds the packs' budgeted alerts", () => {
    expect(worstCases.length).toBeGreaterThan(20);
  });

  it.for(worstCases)("$name: within its budget, or over it by design", ({ alert, over }) => {
    expect(over, OVER_BUDGET_BY_DESIGN[alert] ?? "over the budget: shorten its for, or add it to OVER_BUDGET_BY_DESIGN with the reason").toBe(alert in OVER_BUDGET_BY_DESIGN);
  });

  it("lists only alerts that are over the budget in some pack", () => {
    const over = new Set(worstCases.filter((entry) => entry.over).map((entry) => entry.alert));
    expect(Object.keys(OVER_BUDGET_BY_DESIGN).filter((alert) => !over.has(alert))).toEqual([]);
  });
});
