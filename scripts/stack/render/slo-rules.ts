/**
 * Multi-window, multi-burn-rate SLO rules (the Google SRE workbook's recipe) for every declared SLO:
 * recording rules for the error ratio over each window, the error budget left, fast-burn (page) and
 * slow-burn (ticket) alerts — and promtool tests in which they fire and stay silent.
 *
 * The rules are shared, as Sloth's and Pyrra's generic rules are: one error-ratio rule per window
 * for all the services whose SLI has the same shape (metric, error matcher or latency threshold),
 * aggregated by job, and one set of burn alerts for all the objectives with the same target, window
 * and `for`. Per service there is only its objective record and its name in the shared selectors:
 * rules per service and window came to 11 KB a service (11 MB at 1,000 services, a quarter of
 * generate's work), and Prometheus evaluated nine recording rules per objective.
 */
import type { RulePackFiles } from "./rule-packs.ts";
import { sampleValues } from "../config/sli-matcher.ts";
import type { LabelMatcher } from "../syntax/label-matcher.ts";
import { durationToSeconds } from "../syntax/durations.ts";
import type { ServiceTimings } from "../resolve/alert-latency.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { BURN_ALERTS, type BurnAlert, type SloObjective } from "../resolve/slo-objectives.ts";
import { groupedBy, servicesMatcher } from "./shared-rules.ts";
import { generatedYaml } from "./templates.ts";

const WINDOWS = [...new Set(BURN_ALERTS.flatMap((burn) => [burn.short, burn.long]))];
const ALERT_NAMES = [...new Set(BURN_ALERTS.map((burn) => burn.alert))];

const matcherText = (m: LabelMatcher) => `${m.label}${m.op}${JSON.stringify(m.value)}`;
const round = (value: number) => Number(value.toPrecision(6));
const ratioRecord = (window: string) => `slo:sli_error:ratio_rate${window}`;

interface TimedObjective extends SloObjective {
  for: ServiceTimings["for"];
}

/** What the error-ratio expression depends on: objectives of one shape share its recording rules. */
const shapeKey = (o: SloObjective) => JSON.stringify(o.slo === "latency" ? [o.slo, o.metric, o.le] : [o.slo, o.metric, matcherText(o.errorMatcher)]);
/** What the budget and its record depend on beyond the shape. */
const budgetKey = (o: SloObjective) => JSON.stringify([shapeKey(o), o.window, o.target]);
/** What a burn alert's threshold, `for` and annotations depend on. */
const alertKey = (o: TimedObjective) => JSON.stringify([o.slo, o.target, o.window, o.for.critical, o.for.warning]);

const namesOf = (objectives: readonly SloObjective[]) => objectives.map((o) => o.service);

/**
 * The error ratio of every service of one shape over a window, labelled `service` (from its job:
 * the SLI counts every series of the service's job, scraped or pushed over OTLP).
 */
function errorRatio(shape: readonly SloObjective[], window: string): string {
  const { slo, metric, errorMatcher, le } = shape[0]!;
  const jobs = servicesMatcher("job", namesOf(shape));
  const total = `sum by (job) (rate(${metric}_count{${jobs}}[${window}]))`;
  const byJob =
    slo === "latency"
      ? `1 - (sum by (job) (rate(${metric}_bucket{${jobs},le="${le}"}[${window}])) / ${total})`
      : // A service without a single failed request has no error series: its ratio is 0, not absent.
        `(sum by (job) (rate(${metric}_count{${jobs},${matcherText(errorMatcher)}}[${window}])) or 0 * ${total}) / ${total}`;
  return `sum by (service) (label_replace(${byJob}, "service", "$1", "job", "(.*)"))`;
}

/** The annotations of a burn alert; `service` is a template in the rule and the name in its tests. */
function annotations(objective: SloObjective, burn: BurnAlert, service: string) {
  const hoursLeft = round(durationToSeconds(objective.window) / 3600 / burn.factor);
  return {
    summary: `${service} is burning its ${objective.slo} error budget ${burn.severity === "critical" ? "fast" : "steadily"}`,
    description: `The ${objective.slo} error ratio over ${burn.long} and ${burn.short} is above ${burn.factor}x the budget of the ${round(objective.target * 100)}% objective; at this rate the ${objective.window} budget is gone in ${hoursLeft}h.`,
    runbook_url: "docs/runbooks/slo-error-budget-burn.md",
    dashboard: "/d/slo",
  };
}

const burnLabels = (objective: SloObjective, burn: BurnAlert) => ({ severity: burn.severity, category: "slo", slo: objective.slo, long_window: burn.long, short_window: burn.short });

/**
 * The burn alerts of one alert class. The ratio series of an objective kind are all this class's
 * when it is the kind's only class; otherwise the class names its services.
 */
function burnAlerts(objectives: readonly TimedObjective[], wholeKind: boolean) {
  const objective = objectives[0]!;
  const budget = round(1 - objective.target);
  const selector = `slo="${objective.slo}"${wholeKind ? "" : `,${servicesMatcher("service", namesOf(objectives))}`}`;
  return BURN_ALERTS.map((burn) => {
    const threshold = round(burn.factor * budget);
    return {
      alert: burn.alert,
      expr: `${ratioRecord(burn.long)}{${selector}} > ${threshold} and ${ratioRecord(burn.short)}{${selector}} > ${threshold}`,
      for: objective.for[burn.severity],
      labels: burnLabels(objective, burn),
      annotations: annotations(objective, burn, "{{ $labels.service }}"),
    };
  });
}

function rules(objectives: readonly TimedObjective[]) {
  const alertClasses = groupedBy(objectives, alertKey);
  const classesOfKind = (slo: SloObjective["slo"]) => alertClasses.filter((c) => c[0]!.slo === slo).length;
  return [
    ...objectives.map((o) => ({ record: "slo:objective:ratio", expr: `vector(${o.target})`, labels: { service: o.service, slo: o.slo } })),
    ...groupedBy(objectives, shapeKey).flatMap((shape) =>
      WINDOWS.map((window) => ({ record: ratioRecord(window), expr: errorRatio(shape, window), labels: { slo: shape[0]!.slo } })),
    ),
    ...groupedBy(objectives, budgetKey).map((objectivesOfBudget) => {
      const { slo, target, window } = objectivesOfBudget[0]!;
      return { record: "slo:error_budget_remaining:ratio", expr: `1 - ((${errorRatio(objectivesOfBudget, window)}) / ${round(1 - target)})`, labels: { slo } };
    }),
    ...alertClasses.flatMap((alertClass) => burnAlerts(alertClass, classesOfKind(alertClass[0]!.slo) === 1)),
  ];
}

/**
 * The rules are shared, so one objective per combination of shape, budget and alert class proves
 * them all; each test's exp_alerts list every alert firing at that time, so an alert that also
 * fired for another service, or missed this one, fails it.
 */
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
      exp_labels: { ...burnLabels(objective, burn), service: objective.service },
      exp_annotations: annotations(objective, burn, objective.service),
    }));
  const series = `{service="${objective.service}",slo="${objective.slo}"}`;
  return [
    {
      name: `${objective.service} ${objective.slo}: burn alerts fire when every request is bad`,
      interval: "1m",
      input_series: bad,
      alert_rule_test: [
        ...ALERT_NAMES.map((alertname) => ({ eval_time: "1m", alertname, exp_alerts: [] })),
        ...ALERT_NAMES.map((alertname) => ({ eval_time: "70m", alertname, exp_alerts: expected(alertname) })),
      ],
    },
    {
      name: `${objective.service} ${objective.slo}: silent when every request is good, with the whole budget left`,
      interval: "1m",
      input_series: good,
      alert_rule_test: ALERT_NAMES.map((alertname) => ({ eval_time: "70m", alertname, exp_alerts: [] })),
      promql_expr_test: [
        { expr: `slo:objective:ratio${series}`, eval_time: "70m", exp_samples: [{ labels: `slo:objective:ratio${series}`, value: objective.target }] },
        { expr: `slo:error_budget_remaining:ratio${series}`, eval_time: "70m", exp_samples: [{ labels: `slo:error_budget_remaining:ratio${series}`, value: 1 }] },
      ],
    },
  ];
}

export function renderSloRules(model: ResolvedStack): RulePackFiles | undefined {
  if (model.objectives.length === 0) return undefined;
  const timings = new Map(model.config.services.map((service, i) => [service.name, model.timings.services[i]!]));
  const objectives = model.objectives.map((objective) => ({ ...objective, for: timings.get(objective.service)!.for }));
  const representatives = groupedBy(objectives, (o) => JSON.stringify([budgetKey(o), alertKey(o)])).map((group) => group[0]!);
  return {
    rules: generatedYaml({ groups: [{ name: "slo", rules: rules(objectives) }] }),
    tests: () => generatedYaml({ rule_files: ["../slo.yml"], evaluation_interval: "1m", tests: representatives.flatMap(testsFor) }),
  };
}
