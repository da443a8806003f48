/**
 * The end-to-end checks `npm run smoke` runs against a running stack: each proves one path through
 * it (scrape, rules, alert routing and delivery, Grafana provisioning, logs with scrubbing, traces,
 * OTLP metrics) and fails with a sentence naming the broken part.
 */
import { createHash } from "node:crypto";
import { buildDashboards } from "../../../dashboards/build.ts";
import { COMPONENTS, LOG_COLLECTOR_COMPONENT, type ComponentName } from "../catalog/components.ts";
import { DATASOURCE_UIDS } from "../catalog/datasources.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { applyScrubRules, scrubRules } from "../logs/scrub-rules.ts";
import { SMOKE_LABEL } from "../render/alertmanager.ts";
import { componentUrl } from "../config/addresses.ts";
import { CheckFailure, FatalCheckFailure, once, type Check } from "./check.ts";
import { basicAuth, getJson, postJson } from "./http.ts";
import { otlpGauge, otlpSpan } from "./otlp-payloads.ts";
import type { WebhookSink } from "./webhook-sink.ts";

export interface SmokeContext {
  model: ResolvedStack;
  runId: string;
  grafanaPassword: string | undefined;
  /** Started by the command before the checks run; undefined when it could not start (reason given). */
  sink: WebhookSink | { error: string } | undefined;
  /** The exact line the smoke log container prints (with PII in it). */
  logLine: string;
  logService: string;
}

const url = (context: SmokeContext, name: ComponentName) => componentUrl(context.model.config, name);

/** A valid W3C trace id (32 hex digits) derived from the run id, so a run's signals share it. */
export function smokeTraceId(runId: string): string {
  return createHash("sha256").update(runId).digest("hex").slice(0, 32);
}

function disabled(context: SmokeContext, ...names: ComponentName[]): string | undefined {
  const off = names.filter((name) => !context.model.enabled[name]);
  return off.length > 0 ? `not checked: ${off.join(", ")} disabled in the config` : undefined;
}

export function smokeChecks(context: SmokeContext): Check[] {
  return [
    prometheusTargetsUp(context),
    ruleGroupsHealthy(context),
    watchdogReachesAlertmanager(context),
    alertDelivered(context),
    grafanaProvisioned(context),
    logLineInLoki(context),
    traceInJaeger(context),
    otlpMetricInPrometheus(context),
  ];
}

interface TargetsResponse {
  data: { activeTargets: Array<{ labels: { job: string; instance: string }; health: string; lastError: string }> };
}

function prometheusTargetsUp(context: SmokeContext): Check {
  return {
    name: "prometheus: every target is up",
    deadlineSeconds: 90,
    skipReason: disabled(context, "prometheus"),
    attempt: async () => {
      const { data } = await getJson<TargetsResponse>(`${url(context, "prometheus")}/api/v1/targets?state=active`);
      const down = data.activeTargets.filter((target) => target.health !== "up");
      if (data.activeTargets.length === 0) throw new CheckFailure("Prometheus has no active targets");
      if (down.length > 0)
        throw new CheckFailure(
          `${down.length}/${data.activeTargets.length} targets not up: ${down.map((t) => `${t.labels.job} ${t.labels.instance} (${t.health}${t.lastError ? `: ${t.lastError}` : ""})`).join("; ")}`,
        );
      return `${data.activeTargets.length} targets up`;
    },
  };
}

interface RulesResponse {
  data: { groups: Array<{ name: string; lastEvaluation: string; rules: Array<{ name: string; health: string; lastError?: string }> }> };
}

function ruleGroupsHealthy(context: SmokeContext): Check {
  return {
    name: "prometheus: every rule group loaded and evaluating",
    deadlineSeconds: 60,
    skipReason: disabled(context, "prometheus"),
    attempt: async () => {
      const { data } = await getJson<RulesResponse>(`${url(context, "prometheus")}/api/v1/rules`);
      if (data.groups.length === 0) throw new CheckFailure("no rule groups are loaded");
      const notYet = data.groups.filter((group) => group.lastEvaluation.startsWith("0001-"));
      if (notYet.length > 0) throw new CheckFailure(`rule groups not evaluated yet: ${notYet.map((g) => g.name).join(", ")}`);
      const broken = data.groups.flatMap((group) => group.rules.filter((rule) => rule.health !== "ok").map((rule) => `${group.name}/${rule.name}: ${rule.lastError ?? rule.health}`));
      if (broken.length > 0) throw new CheckFailure(`rules failing: ${broken.join("; ")}`);
      return `${data.groups.length} groups, ${data.groups.reduce((n, g) => n + g.rules.length, 0)} rules healthy`;
    },
  };
}

function watchdogReachesAlertmanager(context: SmokeContext): Check {
  return {
    name: "alertmanager: the Watchdog heartbeat arrives",
    deadlineSeconds: 90,
    skipReason: disabled(context, "prometheus", "alertmanager"),
    attempt: async () => {
      const alerts = await getJson<Array<{ labels: Record<string, string> }>>(`${url(context, "alertmanager")}/api/v2/alerts?filter=alertname%3D%22Watchdog%22`);
      if (alerts.length === 0) throw new CheckFailure("Watchdog has not reached Alertmanager (is Prometheus sending alerts?)");
      return "Watchdog is active in Alertmanager";
    },
  };
}

function alertDelivered(context: SmokeContext): Check {
  const sink = context.sink;
  const post = once(() =>
    postJson(`${url(context, "alertmanager")}/api/v2/alerts`, [
      {
        labels: { alertname: "ObsStackSmokeTest", [SMOKE_LABEL]: "true", run_id: context.runId, severity: "info" },
        annotations: { summary: "obs-stack smoke test alert" },
      },
    ]),
  );
  return {
    name: "alertmanager: a test alert is routed and delivered to a webhook",
    deadlineSeconds: 60,
    skipReason: disabled(context, "alertmanager"),
    attempt: async () => {
      if (!sink || "error" in sink) throw new FatalCheckFailure(sink ? sink.error : "the webhook sink is not running");
      await post();
      if (!sink.received.some((body) => body.includes(context.runId)))
        throw new CheckFailure("the test alert was accepted but not delivered to the webhook sink (routing or the host-gateway path is broken)");
      return "test alert delivered";
    },
  };
}

function grafanaProvisioned(context: SmokeContext): Check {
  const expectedDashboards = buildDashboards(context.model).map((built) => built.uid);
  return {
    name: "grafana: healthy, datasources pass their health checks, dashboards provisioned",
    deadlineSeconds: 90,
    skipReason: context.model.enabled.grafana ? undefined : "not checked: Grafana is disabled in the config",
    attempt: async () => {
      if (!context.grafanaPassword) throw new FatalCheckFailure("GRAFANA_ADMIN_PASSWORD is not set (in .env or the environment), so Grafana cannot be queried");
      const base = url(context, "grafana");
      const auth = basicAuth(context.model.config.components.grafana.adminUser, context.grafanaPassword!);
      const health = await getJson<{ database: string }>(`${base}/api/health`);
      if (health.database !== "ok") throw new CheckFailure(`Grafana database is ${health.database}`);
      const uids = Object.values(DATASOURCE_UIDS).filter((uid) => context.model.enabled[uid]);
      const failures: string[] = [];
      for (const uid of uids) {
        const problem = await datasourceProblem(base, uid, auth);
        if (problem) failures.push(`${uid}: ${problem}`);
      }
      const found = await getJson<Array<{ uid: string }>>(`${base}/api/search?type=dash-db&limit=5000`, auth);
      const missing = expectedDashboards.filter((uid) => !found.some((dashboard) => dashboard.uid === uid));
      if (missing.length > 0) failures.push(`dashboards not provisioned: ${missing.join(", ")}`);
      if (failures.length > 0) throw new CheckFailure(failures.join("; "));
      return `${uids.length} datasources healthy, ${expectedDashboards.length} dashboards present`;
    },
  };
}

/** A request Grafana proxies to each datasource: proves the provisioned URL and access work. */
const DATASOURCE_PROBES: Readonly<Record<keyof typeof DATASOURCE_UIDS, string>> = {
  prometheus: "api/v1/query?query=1",
  loki: "loki/api/v1/labels",
  jaeger: "api/services",
  alertmanager: "api/v2/status",
};

/**
 * Grafana's own datasource health check where the plugin has one; datasources whose plugin has no
 * backend health check (answering 404/501/503) are checked through Grafana's datasource proxy.
 */
async function datasourceProblem(base: string, uid: keyof typeof DATASOURCE_UIDS, auth: Record<string, string>): Promise<string | undefined> {
  const health = await fetch(`${base}/api/datasources/uid/${uid}/health`, { headers: auth, signal: AbortSignal.timeout(5_000) });
  if (health.ok) {
    const body = (await health.json()) as { status: string; message: string };
    return body.status === "OK" ? undefined : body.message;
  }
  if (![404, 501, 503].includes(health.status)) return `health check answered ${health.status}: ${(await health.text()).slice(0, 200)}`;
  const proxied = await fetch(`${base}/api/datasources/proxy/uid/${uid}/${DATASOURCE_PROBES[uid]}`, { headers: auth, signal: AbortSignal.timeout(5_000) });
  return proxied.ok ? undefined : `Grafana cannot reach it through its datasource proxy (${proxied.status})`;
}

interface LokiQueryResponse {
  data: { result: Array<{ values: Array<[string, string]> }> };
}

function logLineInLoki(context: SmokeContext): Check {
  const rules = scrubRules(context.model.config.logs);
  const expected = applyScrubRules(context.logLine, rules);
  const agent = LOG_COLLECTOR_COMPONENT[context.model.config.logs.collector];
  return {
    name: "loki: a container's log line is queryable, with PII scrubbed",
    deadlineSeconds: 90,
    skipReason:
      disabled(context, agent) ??
      (context.model.logDestination?.bundled === false
        ? `not checked: logs go to an existing Loki (logs.loki.url), which smoke does not query`
        : disabled(context, "loki")),
    attempt: async () => {
      const query = `{service="${context.logService}"} |= "${context.runId}"`;
      const start = (BigInt(Date.now() - 15 * 60_000) * 1_000_000n).toString();
      const response = await getJson<LokiQueryResponse>(`${url(context, "loki")}/loki/api/v1/query_range?query=${encodeURIComponent(query)}&start=${start}&limit=5`);
      const lines = response.data.result.flatMap((stream) => stream.values.map(([, line]) => line));
      if (lines.length === 0)
        throw new CheckFailure(`no line with ${context.runId} in Loki yet (is ${COMPONENTS[agent].title} shipping container logs?)`);
      if (expected === undefined) return "line found; scrubbing not checked: a scrub rule uses RE2 syntax JavaScript cannot evaluate";
      if (!lines.includes(expected))
        throw new CheckFailure(`the line arrived but not scrubbed as configured: got ${JSON.stringify(lines[0])}, expected ${JSON.stringify(expected)}`);
      return rules.length > 0 ? `line found, ${rules.length} scrub rules applied` : "line found (no scrubbing configured)";
    },
  };
}

function traceInJaeger(context: SmokeContext): Check {
  const traceId = smokeTraceId(context.runId);
  const send = once(() => postJson(`${url(context, "otelCollector")}/v1/traces`, otlpSpan(traceId, "smoke")));
  return {
    name: "traces: a span sent over OTLP is found in Jaeger",
    deadlineSeconds: 60,
    skipReason: disabled(context, "otelCollector", "jaeger"),
    attempt: async () => {
      await send();
      const found = await getJson<{ data: unknown[] }>(`${url(context, "jaeger")}/api/traces/${traceId}`).catch(() => ({ data: [] }));
      if (found.data.length === 0) throw new CheckFailure(`trace ${traceId} not found in Jaeger (Collector → Jaeger path broken?)`);
      return `trace ${traceId} found`;
    },
  };
}

function otlpMetricInPrometheus(context: SmokeContext): Check {
  const send = once(() => postJson(`${url(context, "otelCollector")}/v1/metrics`, otlpGauge("obs_stack_smoke_probe", { run_id: context.runId })));
  return {
    name: "metrics: a metric sent over OTLP reaches Prometheus",
    deadlineSeconds: 60,
    skipReason: disabled(context, "otelCollector", "prometheus"),
    attempt: async () => {
      await send();
      const query = encodeURIComponent(`obs_stack_smoke_probe{run_id="${context.runId}"}`);
      const result = await getJson<{ data: { result: unknown[] } }>(`${url(context, "prometheus")}/api/v1/query?query=${query}`);
      if (result.data.result.length === 0) throw new CheckFailure("the OTLP metric has not reached Prometheus (Collector → Prometheus path broken?)");
      return "metric found";
    },
  };
}
