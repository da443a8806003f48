/**
 * The SLO objectives of the declared services and the burn-rate alerts that guard each one (the
 * Google SRE workbook's multi-window recipe): the SLO rules implement them, the SLO dashboard charts
 * them. Their `for` durations are the service's, from the latency budget (alert-latency.ts).
 */
import type { ServiceConfig } from "../config/schema.ts";
import { parseMatcher, type LabelMatcher } from "../syntax/label-matcher.ts";
import { durationToSeconds } from "../syntax/durations.ts";

export interface BurnAlert {
  alert: string;
  severity: "critical" | "warning";
  long: string;
  short: string;
  factor: number;
}

export const BURN_ALERTS: readonly BurnAlert[] = [
  { alert: "SLOErrorBudgetFastBurn", severity: "critical", long: "1h", short: "5m", factor: 14.4 },
  { alert: "SLOErrorBudgetFastBurn", severity: "critical", long: "6h", short: "30m", factor: 6 },
  { alert: "SLOErrorBudgetSlowBurn", severity: "warning", long: "1d", short: "2h", factor: 3 },
  { alert: "SLOErrorBudgetSlowBurn", severity: "warning", long: "3d", short: "6h", factor: 1 },
];

export interface SloObjective {
  service: string;
  slo: "availability" | "latency";
  target: number;
  window: string;
  metric: string;
  errorMatcher: LabelMatcher;
  /** Latency threshold as Prometheus formats the `le` label (seconds). */
  le?: string;
}

export function sloObjectives(services: readonly ServiceConfig[]): SloObjective[] {
  // Most services share the default matcher: parsed once, not once per service.
  const matchers = new Map<string, LabelMatcher>();
  const matcher = (text: string) => {
    if (!matchers.has(text)) matchers.set(text, parseMatcher(text));
    return matchers.get(text)!;
  };
  return services.flatMap((service) => {
    const slo = service.slo;
    if (!slo) return [];
    const base = { service: service.name, window: slo.window, metric: slo.sli.metric, errorMatcher: matcher(slo.sli.errorMatcher) };
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

