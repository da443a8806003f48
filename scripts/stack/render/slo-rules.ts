/**
 * Multi-window, multi-burn-rate SLO rules (the Google SRE workbook's recipe) for every declared SLO:
 * recording rules for the error ratio over each window, the error budget left, fast-burn (page) and
 * slow-burn (ticket) alerts — and a promtool test per objective in which they fire and stay silent.
 */
import type { RulePackFiles } from "./rule-packs.ts";
import { sampleValues } from "../config/sli-matcher.ts";
import type { LabelMatcher } from "../syntax/label-matcher.ts";
import { durationToSeconds } from "../syntax/durations.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { BURN_ALERTS, type BurnAlert, type SloObjective } from "../resolve/slo-objectives.ts";
import { generatedYaml } from "./templates.ts";

const WINDOWS = [...new Set(BURN_ALERTS.flatMap((burn) => [burn.short, burn.long]))];

const matcherText = (m: LabelMatcher) => `${m.label}${m.op}${JSON.stringify(m.value)}`;
const round = (value: number) => Number(value.toPrecision(6));

function errorRatio(objective: SloObjective, window: string): string {
  const selector = `job="${objective.service}"`;
  const total = `sum(rate(${objective.metric}_count{${selector}}[${window}]))`;
  if (objective.slo === "latency")
    return `1 - (sum(rate(${objective.metric}_bucket{${selector},le="${objective.le}"}[${window}])) / ${total})`;
  return `(sum(rate(${objective.metric}_count{${selector},${matcherText(objective.errorMatcher)}}[${window}])) or vector(0)) / ${total}`;
}

const ratioRecord = (window: string) => `slo:sli_error:ratio_rate${window}`;

function annotations(objective: SloObjective, burn: BurnAlert) {
  const hoursLeft = round(durationToSeconds(objective.window) / 3600 / burn.factor);
  return {
    summary: `${objective.service} is burning its ${objective.slo} error budget ${burn.severity === "critical" ? "fast" : "steadily"}`,
    description: `The ${objective.slo} error ratio over ${burn.long} and ${burn.short} is above ${burn.factor}x the budget of the ${round(objective.target * 100)}% objective; at this rate the ${objective.window} budget is gone in ${hoursLeft}h.`,
    runbook_url: "docs/runbooks/slo-error-budget-burn.md",
    dashboard: "/d/slo",
  };
}

function groupFor(objective: SloObjective, holdFor: Record<BurnAlert["severity"], string>) {
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
          for: holdFor[burn.severity],
          labels: { severity: burn.severity, category: "slo", ...labels, long_window: burn.long, short_window: burn.short },
          annotations: annotations(objective, burn),
        };
      }),
    ],
  };
}

/** One failing and one healthy scenario per objective: every burn alert fires in the first only. */
function testsFor(objective: SloObjective) {
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

const serviceTiming = (model: ResolvedStack, service: string) => model.timings.services[model.config.services.findIndex(({ name }) => name === service)]!;

export function renderSloRules(model: ResolvedStack): RulePackFiles | undefined {
  const { objectives } = model;
  if (objectives.length === 0) return undefined;
  return {
    rules: generatedYaml({ groups: objectives.map((objective) => groupFor(objective, serviceTiming(model, objective.service).for)) }),
    tests: () =>
      generatedYaml({ rule_files: ["../slo.yml"], evaluation_interval: "1m", tests: objectives.flatMap(testsFor) }),
  };
}
