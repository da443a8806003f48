/**
 * Turns a k6 run's summary (printed between markers by the generated script's handleSummary) into
 * one outcome per check and per profile threshold, each failure naming what broke and the value
 * that was measured.
 */
import type { CheckOutcome } from "./check.ts";
import { SUMMARY_MARKER, type SyntheticsSummary } from "../../../k6/lib/summary.ts";

export { SUMMARY_MARKER };

export function extractSummary(stdout: string): SyntheticsSummary | undefined {
  const start = stdout.indexOf(SUMMARY_MARKER);
  const end = stdout.indexOf(SUMMARY_MARKER, start + SUMMARY_MARKER.length);
  if (start < 0 || end < 0) return undefined;
  return JSON.parse(stdout.slice(start + SUMMARY_MARKER.length, end)) as SyntheticsSummary;
}

type Threshold = SyntheticsSummary["thresholds"][number];

const SUBMETRIC = /^(\w+)\{synthetic:([^}]+)\}$/;
const EXPRESSION = /^\s*(avg|min|max|med|count|rate|value|p\(\d+(?:\.\d+)?\))\s*(<=|>=|==|!=|<|>)\s*(-?[\d.]+)\s*$/;

export function summaryOutcomes(service: string, summary: SyntheticsSummary, checkNames: readonly string[], profile?: string): CheckOutcome[] {
  const perCheck = checkNames.map((check): CheckOutcome => {
    const thresholds = summary.thresholds.filter((t) => SUBMETRIC.exec(t.metric)?.[2] === check);
    const assertions = summary.checks.filter((c) => c.group === check);
    const failedAssertions = assertions.filter((c) => c.fails > 0).map((c) => `${stripCheckName(c.name, check)} failed ${c.fails} of ${c.passes + c.fails}`);
    const failedThresholds = thresholds.filter((t) => !t.ok && !t.metric.startsWith("checks{")).map(describeBreach);
    const duration = thresholds.find((t) => t.metric.startsWith("http_req_duration{"))?.values;
    const failures = [...failedAssertions, ...failedThresholds];
    const ran = assertions.length > 0;
    const name = `${service}/${check}`;
    const durationMs = Math.round(duration?.max ?? 0);
    if (!ran) return { name, status: "fail", message: "the check did not run (see the k6 output above)", durationMs };
    if (failures.length === 0) return { name, status: "pass", message: passMessage(assertions.length, duration), durationMs };
    // Under load a failed request is expected now and then: the profile's thresholds give the verdict.
    if (profile) return { name, status: "pass", message: `${failures.join("; ")} (within load; the profile's thresholds decide)`, durationMs };
    return { name, status: "fail", message: failures.join("; "), durationMs };
  });
  const profileThresholds = summary.thresholds.filter((t) => !SUBMETRIC.test(t.metric));
  const perThreshold = profileThresholds.map((t): CheckOutcome => ({
    name: `${service}/${profile ? `profile ${profile}` : "threshold"}: ${t.metric} ${t.expression}`,
    status: t.ok ? "pass" : "fail",
    message: t.ok ? `held (${measured(t)})` : describeBreach(t),
    durationMs: 0,
  }));
  return [...perCheck, ...perThreshold];
}

function stripCheckName(assertion: string, check: string): string {
  return assertion.startsWith(`${check}: `) ? assertion.slice(check.length + 2) : assertion;
}

function passMessage(assertions: number, duration: Record<string, number> | undefined): string {
  const time = duration ? `, max ${formatMs(duration.max ?? 0)}` : "";
  return `${assertions} assertion(s) passed${time}`;
}

function describeBreach(threshold: Threshold): string {
  return `threshold ${threshold.metric} ${threshold.expression} breached: ${measured(threshold)}`;
}

function measured(threshold: Threshold): string {
  const match = EXPRESSION.exec(threshold.expression);
  const aggregate = match?.[1];
  const value = aggregate ? threshold.values[aggregate] : undefined;
  if (aggregate === undefined || value === undefined) return `measured ${JSON.stringify(threshold.values)}`;
  const isTime = threshold.metric.startsWith("http_req_duration") || threshold.metric.startsWith("http_req_waiting");
  return `measured ${aggregate} ${isTime ? formatMs(value) : aggregate === "rate" ? value.toFixed(4) : String(value)}`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${ms.toFixed(0)}ms`;
}
