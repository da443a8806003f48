/**
 * Multi-window, multi-burn-rate SLO rules (the Google SRE workbook's recipe) for every declared SLO:
 * recording rules for the error ratio over each window, the error budget left, fast-burn (page) and
 * slow-burn (ticket) alerts — and a promtool test per objective in which they fire and stay silent.
 */
import { stringify } from "yaml";
import type { StackModel } from "../config/model.ts";
import type { ServiceConfig } from "../config/schema.ts";
import { parseMatcher, sampleValues, type LabelMatcher } from "../config/sli-matcher.ts";
import { durationToSeconds } from "../config/durations.ts";
import { GENERATED_HEADER } from "./templates.ts";

interface BurnAlert {
  alert: string;
  severity: "critical" | "warning";
  long: string;
  short: string;
  factor: number;
  for: string;
}

export const BURN_ALERTS: readonly BurnAlert[] = [
  { alert: "SLOErrorBudgetFastBurn", severity: "critical", long: "1h", short: "5m", factor: 14.4, for: "2m" },
  { alert: "SLOErrorBudgetFastBurn", severity: "critical", long: "6h", short: "30m", factor: 6, for: "2m" },
  { alert: "SLOErrorBudgetSlowBurn", severity: "warning", long: "1d", short: "2h", factor: 3, for: "15m" },
  { alert: "SLOErrorBudgetSlowBurn", severity: "warning", long: "3d", short: "6h", factor: 1, for: "15m" },
];
const WINDOWS = [...new Set(BURN_ALERTS.flatMap((burn) => [burn.short, burn.long]))];


interface Objective {
  service: string;
  slo: "availability" | "latency";
  target: number;
  window: string;
  metric: string;
  errorMatcher: LabelMatcher;
  /** Latency threshold as Prometheus formats the `le` label (seconds). */
  le?: string;
}

export function sloObjectives(services: readonly ServiceConfig[]): Objective[] {
  return services.flatMap((service) => {
    const slo = service.slo;
    if (!slo) return [];
    const base = { service: service.name, window: slo.window, metric: slo.sli.metric, errorMatcher: parseMatcher(slo.sli.errorMatcher) };
    return [
      ...(slo.availability !== undefined ? [{ ...base, slo: "availability" as const, target: slo.availability }] : []),
      ...(slo.latency ? [{ ...base, slo: "latency" as const, target: slo.latency.target, le: formatLe(durationToSeconds(slo.latency.threshold)) }] : []),
    ];
  });
}

/** Prometheus 3 normalizes `le` to float formatting: 1 → "1.0", 0.3 → "0.3". */
export function formatLe(seconds: number): string {
  return Number.isInteger(seconds) ? seconds.toFixed(1) : String(seconds);
}

const matcherText = (m: LabelMatcher) => `${m.label}${m.op}${JSON.stringify(m.value)}`;
const round = (value: number) => Number(value.toPrecision(6));

function errorRatio(objective: Objective, window: string): string {
  const selector = `job="${objective.service}"`;
  const total = `sum(rate(${objective.metric}_count{${selector}}[${window}]))`;
  if (objective.slo === "latency")
    return `1 - (sum(rate(${objective.metric}_bucket{${selector},le="${objective.le}"}[${window}])) / ${total})`;
  return `(sum(rate(${objective.metric}_count{${selector},${matcherText(objective.errorMatcher)}}[${window}])) or vector(0)) / ${total}`;
}

const ratioRecord = (window: string) => `slo:sli_error:ratio_rate${window}`;

function annotations(objective: Objective, burn: BurnAlert) {
  const hoursLeft = round(durationToSeconds(objective.window) / 3600 / burn.factor);
  return {
    summary: `${objective.service} is burning its ${objective.slo} error budget ${burn.severity === "critical" ? "fast" : "steadily"}`,
    description: `The ${objective.slo} error ratio over ${burn.long} and ${burn.short} is above ${burn.factor}x the budget of the ${round(objective.target * 100)}% objective; at this rate the ${objective.window} budget is gone in ${hoursLeft}h.`,
    runbook_url: "docs/runbooks/slo-error-budget-burn.md",
    dashboard: "/d/slo",
  };
}

function groupFor(objective: Objective) {
  const labels = { service: objective.service, slo: objective.slo };
  const budget = round(1 - objective.target);
  return {
    name: `slo.${objective.service}.${objective.slo}`,
    rules: [
      ...WINDOWS.map((window) => ({ record: ratioRecord(window), expr: errorRatio(objective, window), labels })),
      { record: "slo:objective:ratio", expr: `vector(${objective.target})`, labels },
      {
        record: "slo:error_budget_remaining:ratio",
        expr: `1 - ((${errorRatio(objective, objective.window)}) / ${budget})`,
        labels,
      },
      ...BURN_ALERTS.map((burn) => {
        const threshold = round(burn.factor * budget);
        const series = (window: string) => `${ratioRecord(window)}{service="${objective.service}",slo="${objective.slo}"}`;
        return {
          alert: burn.alert,
          expr: `${series(burn.long)} > ${threshold} and ${series(burn.short)} > ${threshold}`,
          for: burn.for,
          labels: { severity: burn.severity, category: "slo", ...labels, long_window: burn.long, short_window: burn.short },
          annotations: annotations(objective, burn),
        };
      }),
    ],
  };
}

/** One failing and one healthy scenario per objective: every burn alert fires in the first only. */
function testsFor(objective: Objective) {
  const { errorValue, okValue } = sampleValues(objective.errorMatcher)!;
  const job = `job="${objective.service}"`;
  const count = (label: string) => `${objective.metric}_count{${job}, ${objective.errorMatcher.label}="${label}"}`;
  const bucket = (label: string) => `${objective.metric}_bucket{${job}, ${objective.errorMatcher.label}="${label}", le="${objective.le}"}`;
  const bad =
    objective.slo === "availability"
      ? [{ series: count(errorValue), values: "0+60x80" }]
      : [
          { series: count(okValue), values: "0+60x80" },
          { series: bucket(okValue), values: "0x80" },
        ];
  const good =
    objective.slo === "availability"
      ? [{ series: count(okValue), values: "0+60x80" }]
      : [
          { series: count(okValue), values: "0+60x80" },
          { series: bucket(okValue), values: "0+60x80" },
        ];
  const expected = (alert: string) =>
    BURN_ALERTS.filter((burn) => burn.alert === alert).map((burn) => ({
      exp_labels: { severity: burn.severity, category: "slo", service: objective.service, slo: objective.slo, long_window: burn.long, short_window: burn.short },
      exp_annotations: annotations(objective, burn),
    }));
  const alerts = [...new Set(BURN_ALERTS.map((burn) => burn.alert))];
  return [
    {
      name: `${objective.service} ${objective.slo}: burn alerts fire when every request is bad`,
      interval: "1m",
      input_series: bad,
      alert_rule_test: [
        ...alerts.map((alertname) => ({ eval_time: "1m", alertname, exp_alerts: [] })),
        ...alerts.map((alertname) => ({ eval_time: "70m", alertname, exp_alerts: expected(alertname) })),
      ],
    },
    {
      name: `${objective.service} ${objective.slo}: silent when every request is good`,
      interval: "1m",
      input_series: good,
      alert_rule_test: alerts.map((alertname) => ({ eval_time: "70m", alertname, exp_alerts: [] })),
    },
  ];
}

export function renderSloRules(model: StackModel): { rules: string; tests: string } | undefined {
  const objectives = sloObjectives(model.config.services.filter((service) => service.metricsPath !== false));
  if (objectives.length === 0) return undefined;
  const tests = { rule_files: ["../slo.yml"], evaluation_interval: "1m", tests: objectives.flatMap(testsFor) };
  return {
    rules: `${GENERATED_HEADER}\n${stringify({ groups: objectives.map(groupFor) }, { lineWidth: 0, aliasDuplicateObjects: false })}`,
    tests: `${GENERATED_HEADER}\n${stringify(tests, { lineWidth: 0, aliasDuplicateObjects: false })}`,
  };
}
