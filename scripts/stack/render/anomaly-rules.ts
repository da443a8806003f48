/**
 * Anomaly detection for every service with metrics: request rate and p95 latency recorded, their
 * average and standard deviation over a day, the z-score and a ±3σ band, and alerts when the z-score
 * stays beyond the band — with promtool tests in which they fire and stay silent.
 */
import type { RulePackFiles } from "./rule-packs.ts";
import type { StackModel } from "../config/model.ts";
import type { ServiceConfig } from "../config/schema.ts";
import { ANOMALY_BASELINE, ANOMALY_SIGNALS, baselineStat } from "../resolve/anomaly-bands.ts";
import { formatLe } from "../resolve/slo-objectives.ts";
import { groupedBy, servicesMatcher } from "./shared-rules.ts";
import { generatedYaml } from "./templates.ts";

/** The OpenTelemetry HTTP server histogram, unless the service's SLO names another. */
const DEFAULT_METRIC = "http_server_request_duration_seconds";
const Z_LIMIT = 3;
const SUSTAINED = "15m";
/** Requests per second below which a service counts as idle: its z-scores are noise. */
const MIN_RATE = 0.5;
/** A near-constant baseline would turn tiny wobbles into huge z-scores; σ counts as at least this share of the average. */
const SIGMA_FLOOR = 0.1;
/** A fresh stack has no baseline yet: the alerts wait for this much recorded history. */
const MIN_HISTORY = "3h";

const { rate: RATE, latency: LATENCY } = ANOMALY_SIGNALS;

type Direction = "above" | "below";

interface Signal {
  alert: string;
  series: string;
  what: string;
  /** Why each direction matters, for the description. */
  causes: Record<Direction, string>;
}

const SIGNALS: readonly Signal[] = [
  {
    alert: "ServiceRequestRateAnomaly",
    series: RATE,
    what: "request rate",
    causes: { above: "a traffic surge, a retry storm or a client in a loop", below: "clients cannot reach it, or traffic went elsewhere" },
  },
  {
    alert: "ServiceLatencyAnomaly",
    series: LATENCY,
    what: "p95 latency",
    causes: { above: "a slow dependency, saturation or a slow release", below: "requests failing fast or skipping work" },
  },
];

const metricOf = (service: ServiceConfig) => service.slo?.sli.metric ?? DEFAULT_METRIC;

function annotations(service: string, signal: Signal, direction: Direction) {
  return {
    summary: `${service} ${signal.what} is unusually ${direction === "above" ? "high" : "low"}`,
    description: `The ${signal.what} of ${service} has been more than ${Z_LIMIT} standard deviations ${direction} its ${ANOMALY_BASELINE} average for ${SUSTAINED}: ${signal.causes[direction]}.`,
    runbook_url: "docs/runbooks/service-anomaly.md",
    dashboard: "/d/service-overview",
  };
}

/** The two signals of every service that reads this histogram. */
function signalRules(services: readonly ServiceConfig[]) {
  const selector = `{${servicesMatcher("service", services.map((service) => service.name))}}`;
  const metric = metricOf(services[0]!);
  return [
    { record: RATE, expr: `sum by (service) (rate(${metric}_count${selector}[5m]))` },
    // NaN (no requests) would poison a day of averages, so only real quantiles are recorded.
    { record: LATENCY, expr: `histogram_quantile(0.95, sum by (service, le) (rate(${metric}_bucket${selector}[5m]))) >= 0` },
  ];
}

/**
 * One group for every service: the signals per histogram, then statistics and alerts over every
 * service's signal at once. Per service only its name in a selector remains (a group per service
 * was 6.7 KB each at 1,000 services), and the statistics follow the signals in the same evaluation.
 */
function rules(services: readonly ServiceConfig[]) {
  const statistics = (series: string) => {
    const avg = baselineStat(series, "avg");
    const sigma = baselineStat(series, "stddev");
    return [
      { record: avg, expr: `avg_over_time(${series}[${ANOMALY_BASELINE}])` },
      { record: sigma, expr: `(stddev_over_time(${series}[${ANOMALY_BASELINE}]) > ${SIGMA_FLOOR} * ${avg}) or (${SIGMA_FLOOR} * ${avg})` },
      { record: baselineStat(series, "zscore"), expr: `(${series} - ${avg}) / (${sigma} > 0)` },
      { record: baselineStat(series, "upper_band"), expr: `${avg} + ${Z_LIMIT} * ${sigma}` },
      { record: baselineStat(series, "lower_band"), expr: `clamp_min(${avg} - ${Z_LIMIT} * ${sigma}, 0)` },
    ];
  };
  const busy = [`${baselineStat(RATE, "avg")} >= ${MIN_RATE}`, `(${RATE} offset ${MIN_HISTORY})`];
  const guards: Record<string, string[]> = {
    [RATE]: busy,
    // p95 over a trickle of requests is noise, whatever the day looked like.
    [LATENCY]: [`${RATE} >= ${MIN_RATE}`, ...busy],
  };
  const alerts = SIGNALS.flatMap((signal) =>
    (["above", "below"] as const).map((direction) => ({
      alert: signal.alert,
      expr: [`${baselineStat(signal.series, "zscore")} ${direction === "above" ? ">" : "<"} ${direction === "above" ? Z_LIMIT : -Z_LIMIT}`, ...guards[signal.series]!].join(
        "\nand on (service) ",
      ),
      for: SUSTAINED,
      labels: { severity: "warning", category: "anomaly", direction },
      annotations: annotations("{{ $labels.service }}", signal, direction),
    })),
  );
  return [...byMetric(services).flatMap(signalRules), ...statistics(RATE), ...statistics(LATENCY), ...alerts];
}

/** Services in groups reading the same histogram. */
const byMetric = (services: readonly ServiceConfig[]) => groupedBy(services, metricOf);

/** promtool's expanding notation for a counter growing `perMinute` for `minutes`, phase after phase. */
export function counterValues(phases: ReadonlyArray<readonly [perMinute: number, minutes: number]>): string {
  const merged: Array<[number, number]> = [];
  for (const [perMinute, minutes] of phases) {
    const last = merged.at(-1);
    if (last?.[0] === perMinute) last[1] += minutes;
    else merged.push([perMinute, minutes]);
  }
  let value = 0;
  return merged
    .map(([perMinute, minutes], i) => {
      const first = i === 0 ? 0 : value + perMinute;
      const steps = i === 0 ? minutes : minutes - 1;
      value = first + perMinute * steps;
      return `${first}+${perMinute}x${steps}`;
    })
    .join(" ");
}

const BASELINE_MINUTES = 360;
const PHASE_MINUTES = 30;
const EPISODE_MINUTES = 25;
/** Half-hour phases alternating between two values: a baseline with real variance. */
const alternating = <T>(a: T, b: T): T[] => Array.from({ length: BASELINE_MINUTES / PHASE_MINUTES }, (_, i) => (i % 2 ? b : a));
/** A counter growing at each baseline phase's rate per minute, then at the episode's. */
const counter = (baseline: readonly number[], episode: number) =>
  counterValues([...baseline.map((perMinute) => [perMinute, PHASE_MINUTES] as const), [episode, EPISODE_MINUTES]]);

/** Requests per minute in each latency bucket up to 25ms, 100ms, 250ms, 500ms, 1s and +Inf (cumulative, as Prometheus counts them). */
const BUCKETS = [0.025, 0.1, 0.25, 0.5, 1, Number.POSITIVE_INFINITY];
const LATENCY_PROFILES = {
  fast: [0, 60, 60, 60, 60, 60],
  someSlower: [0, 54, 60, 60, 60, 60],
  slow: [0, 0, 0, 0, 60, 60],
  moderate: [0, 30, 54, 60, 60, 60],
  moderateSlower: [0, 30, 48, 60, 60, 60],
  instant: [60, 60, 60, 60, 60, 60],
  trickle: [3, 3, 3, 3, 3, 3],
  trickleSlow: [0, 0, 0, 0, 30, 30],
};

function testsFor(service: ServiceConfig) {
  const metric = metricOf(service);
  const labels = `service="${service.name}", http_request_method="GET", http_route="/orders", http_response_status_code="200"`;
  const count = (values: string) => ({ series: `${metric}_count{${labels}}`, values });
  const buckets = (baseline: ReadonlyArray<readonly number[]>, episode: readonly number[]) =>
    BUCKETS.map((le, i) => ({
      series: `${metric}_bucket{${labels}, le="${Number.isFinite(le) ? formatLe(le) : "+Inf"}"}`,
      values: counter(
        baseline.map((profile) => profile[i]!),
        episode[i]!,
      ),
    }));
  const before = `${BASELINE_MINUTES - 1}m`;
  const pending = `${BASELINE_MINUTES + 8}m`;
  const during = `${BASELINE_MINUTES + EPISODE_MINUTES - 1}m`;
  const firing = (signal: Signal, direction: Direction) => [
    {
      exp_labels: { severity: "warning", category: "anomaly", service: service.name, direction },
      exp_annotations: annotations(service.name, signal, direction),
    },
  ];
  const [rate, latency] = SIGNALS as [Signal, Signal];
  const silent = (evalTime: string) => SIGNALS.map((signal) => ({ eval_time: evalTime, alertname: signal.alert, exp_alerts: [] }));
  const { fast, someSlower, slow, moderate, moderateSlower, instant, trickle, trickleSlow } = LATENCY_PROFILES;
  const steadyCount = count(counter(alternating(60, 60), 60));
  return [
    {
      name: `${service.name}: a traffic surge fires once it lasts ${SUSTAINED}`,
      interval: "1m",
      input_series: [count(counter(alternating(50, 70), 480))],
      alert_rule_test: [
        ...silent(before),
        ...silent(pending),
        { eval_time: during, alertname: rate.alert, exp_alerts: firing(rate, "above") },
        { eval_time: during, alertname: latency.alert, exp_alerts: [] },
      ],
    },
    {
      name: `${service.name}: traffic stopping fires the low side`,
      interval: "1m",
      input_series: [count(counter(alternating(50, 70), 0))],
      alert_rule_test: [
        ...silent(before),
        { eval_time: during, alertname: rate.alert, exp_alerts: firing(rate, "below") },
        { eval_time: during, alertname: latency.alert, exp_alerts: [] },
      ],
    },
    {
      name: `${service.name}: a latency regression at steady traffic fires the latency alert only`,
      interval: "1m",
      input_series: [steadyCount, ...buckets(alternating(fast, someSlower), slow)],
      alert_rule_test: [
        ...silent(before),
        { eval_time: during, alertname: rate.alert, exp_alerts: [] },
        { eval_time: during, alertname: latency.alert, exp_alerts: firing(latency, "above") },
      ],
    },
    {
      name: `${service.name}: requests suddenly answered instantly fire the low latency side`,
      interval: "1m",
      input_series: [steadyCount, ...buckets(alternating(moderate, moderateSlower), instant)],
      alert_rule_test: [...silent(before), { eval_time: during, alertname: latency.alert, exp_alerts: firing(latency, "below") }],
    },
    {
      name: `${service.name}: an idle service stays silent whatever it does`,
      interval: "1m",
      input_series: [count(counter(alternating(3, 3), 30)), ...buckets(alternating(trickle, trickle), trickleSlow)],
      alert_rule_test: silent(during),
    },
  ];
}

export function renderAnomalyRules(model: StackModel): RulePackFiles | undefined {
  const services = model.config.services.filter((service) => service.metricsPath !== false);
  if (services.length === 0) return undefined;
  // The rules are shared: one service per histogram proves them (each test's exp_alerts list every
  // alert firing, so one that fired for a service without traffic would fail it).
  const representatives = byMetric(services).map((group) => group[0]!);
  return {
    rules: generatedYaml({ groups: [{ name: "anomaly", rules: rules(services) }] }),
    tests: () =>
      generatedYaml({ rule_files: ["../anomaly.yml"], evaluation_interval: "1m", tests: representatives.flatMap(testsFor) }),
  };
}
