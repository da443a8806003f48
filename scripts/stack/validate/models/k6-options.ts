/**
 * Typed model of the k6 `options` our generated scripts export, at the pinned k6 (2.x): scenarios
 * (the six executors k6 2 has, each with its required fields and the checks k6 makes before a run)
 * and thresholds (built-in metric names, `metric{tag:value}` sub-metrics, and expressions whose
 * aggregation fits the metric's type). Facts from k6's scenarios, executors, thresholds and metrics
 * reference pages. The options come from models/k6-script.ts, which reads them out of the script.
 */
import { z } from "zod";
import { IMAGE_PINS } from "../../catalog/components.ts";
import { didYouMean } from "../../config/did-you-mean.ts";
import { checkAgainst, finding, nestedUnder, type ModelFinding } from "./findings.ts";
import { scriptOptions } from "./k6-script.ts";

export const K6_MODEL_VERSION = IMAGE_PINS.k6.tag;

type MetricType = "Counter" | "Gauge" | "Rate" | "Trend";

/** k6's built-in metrics (core, HTTP, groups), by type: the only metrics our scripts emit. */
const BUILTIN_METRICS: Readonly<Record<string, MetricType>> = {
  checks: "Rate",
  data_received: "Counter",
  data_sent: "Counter",
  dropped_iterations: "Counter",
  iteration_duration: "Trend",
  iterations: "Counter",
  vus: "Gauge",
  vus_max: "Gauge",
  group_duration: "Trend",
  http_req_blocked: "Trend",
  http_req_connecting: "Trend",
  http_req_duration: "Trend",
  http_req_failed: "Rate",
  http_req_receiving: "Trend",
  http_req_sending: "Trend",
  http_req_tls_handshaking: "Trend",
  http_req_waiting: "Trend",
  http_reqs: "Counter",
};

const AGGREGATIONS: Readonly<Record<MetricType, readonly string[]>> = {
  Counter: ["count", "rate"],
  Gauge: ["value"],
  Rate: ["rate"],
  Trend: ["avg", "min", "max", "med", "p(N)"],
};

/** k6 reads option durations with Go's syntax, plus a leading day count; a bare number is milliseconds. */
const K6_DURATION = /^(?:\d+d)?(?:(?:\d+(?:\.\d+)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*$/;
const duration = z.union(
  [
    z.number().min(0),
    z.string().refine((value) => value !== "" && K6_DURATION.test(value), { error: (issue) => `${JSON.stringify(issue.input)} is not a k6 duration (e.g. "30s", "1m30s", "1d2h")` }),
  ],
  { error: (issue) => (issue.input === undefined ? "is required" : 'must be a duration string such as "30s" or a number of milliseconds') },
);
const count = z.number().int().min(0);
const stages = z.array(z.strictObject({ duration, target: count })).min(1, "needs at least one stage");

const COMMON = {
  executor: z.string(),
  startTime: duration.optional(),
  gracefulStop: duration.optional(),
  exec: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
};

const EXECUTORS = {
  "shared-iterations": z
    .strictObject({ ...COMMON, vus: count.optional(), iterations: count.optional(), maxDuration: duration.optional() })
    .refine((scenario) => (scenario.iterations ?? 1) >= (scenario.vus ?? 1), { error: "iterations can't be fewer than vus", path: ["iterations"] }),
  "per-vu-iterations": z.strictObject({ ...COMMON, vus: count.optional(), iterations: count.optional(), maxDuration: duration.optional() }),
  "constant-vus": z.strictObject({ ...COMMON, vus: count.optional(), duration }),
  "ramping-vus": z
    .strictObject({ ...COMMON, startVUs: count.optional(), stages, gracefulRampDown: duration.optional() })
    .refine((scenario) => Math.max(scenario.startVUs ?? 1, ...scenario.stages.map((stage) => stage.target)) > 0, {
      error: "startVUs or one of the stages' targets must be above 0",
      path: ["stages"],
    }),
  "constant-arrival-rate": z.strictObject({ ...COMMON, rate: count, timeUnit: duration.optional(), duration, preAllocatedVUs: count, maxVUs: count.optional() }),
  "ramping-arrival-rate": z.strictObject({ ...COMMON, startRate: count.optional(), timeUnit: duration.optional(), stages, preAllocatedVUs: count, maxVUs: count.optional() }),
} as const;

/** The long form of a threshold; the short form is its expression string. */
const thresholdObject = z.strictObject({ threshold: z.string(), abortOnFail: z.boolean().optional(), delayAbortEval: duration.optional() });

const options = z.looseObject({
  scenarios: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, "scenario names use letters, digits, '_' and '-'"), z.unknown()).optional(),
  thresholds: z.record(z.string(), z.array(z.unknown())).optional(),
});

/** Every options variant of one generated script (the check run and each load profile). */
export function checkK6Script(script: string): ModelFinding[] {
  const read = scriptOptions(script);
  if ("problem" in read) return [finding(["options"], `cannot read the options: ${read.problem}`)];
  return read.variants.flatMap(({ variant, options: value }) => nestedUnder([`options (${variant})`], checkK6Options(value)));
}

export function checkK6Options(value: unknown): ModelFinding[] {
  return checkAgainst(options, value, (typed) => [
    ...Object.entries(typed.scenarios ?? {}).flatMap(([name, scenario]) => nestedUnder(["scenarios", name], scenarioProblems(scenario))),
    ...Object.entries(typed.thresholds ?? {}).flatMap(([key, expressions]) => nestedUnder(["thresholds", key], thresholdProblems(key, expressions))),
  ]);
}

function scenarioProblems(scenario: unknown): ModelFinding[] {
  const executor = (scenario as { executor?: unknown } | null)?.executor;
  const names = Object.keys(EXECUTORS);
  if (typeof executor !== "string" || !(executor in EXECUTORS)) {
    const suggestion = typeof executor === "string" ? didYouMean(executor, names) : undefined;
    return [finding(["executor"], `unknown executor ${JSON.stringify(executor)}`, suggestion ? `did you mean "${suggestion}"?` : `executors: ${names.join(", ")}`)];
  }
  return checkAgainst(EXECUTORS[executor as keyof typeof EXECUTORS], scenario);
}

function thresholdProblems(key: string, expressions: readonly unknown[]): ModelFinding[] {
  const parsed = /^([^{}]+?)\s*(?:\{([^{}]*)\})?$/.exec(key);
  if (!parsed) return [finding([], `${JSON.stringify(key)} is not "metric" or "metric{tag:value}"`)];
  const [, metric, tags] = parsed;
  const type = BUILTIN_METRICS[metric!];
  if (!type) {
    const suggestion = didYouMean(metric!, Object.keys(BUILTIN_METRICS));
    return [finding([], `${JSON.stringify(metric)} is not a k6 built-in metric`, suggestion ? `did you mean "${suggestion}"?` : "the scripts define no custom metrics")];
  }
  const findings = tags === undefined ? [] : tagFilterProblems(tags);
  expressions.forEach((expression, index) => {
    const problems =
      typeof expression === "string"
        ? expressionFindings(expression, type, [])
        : checkAgainst(thresholdObject, expression, (long) => expressionFindings(long.threshold, type, ["threshold"]));
    findings.push(...nestedUnder([index], problems));
  });
  return findings;
}

/** `tag:value[,tag:value]`: k6 splits on commas and the first colon, so neither side may be empty. */
function tagFilterProblems(tags: string): ModelFinding[] {
  return tags.split(",").flatMap((pair) => {
    const colon = pair.indexOf(":");
    const name = colon === -1 ? "" : pair.slice(0, colon).trim();
    const value = colon === -1 ? "" : pair.slice(colon + 1).trim();
    return name && value ? [] : [finding([], `tag filter ${JSON.stringify(pair)} must be tag:value`)];
  });
}

function expressionFindings(text: string, type: MetricType, at: ReadonlyArray<string | number>): ModelFinding[] {
  const problem = expressionProblem(text, type);
  return problem ? [finding(at, problem)] : [];
}

const EXPRESSION = /^\s*(avg|min|max|med|count|rate|value|p\(\s*([^)]*)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

function expressionProblem(text: string, type: MetricType): string | undefined {
  const match = EXPRESSION.exec(text);
  if (!match) return `${JSON.stringify(text)} is not "<aggregation> <operator> <number>" (e.g. "p(95)<300", "rate<0.01")`;
  const [, aggregation, percentile] = match;
  const allowed = AGGREGATIONS[type];
  if (percentile !== undefined) {
    const value = Number(percentile);
    if (!allowed.includes("p(N)")) return `${JSON.stringify(text)}: a ${type} metric has no percentiles (use ${allowed.join(", ")})`;
    if (percentile.trim() === "" || !Number.isFinite(value) || value < 0 || value > 100) return `${JSON.stringify(text)}: the percentile must be a number from 0 to 100`;
    return undefined;
  }
  if (!allowed.includes(aggregation!)) return `${JSON.stringify(text)}: a ${type} metric is aggregated with ${allowed.join(", ")}, not ${aggregation}`;
  return undefined;
}
