/**
 * The two duration syntaxes of the Go components we model: Go's time.ParseDuration (ns…h, fractions,
 * no days) and Prometheus's model.ParseDuration (ms…y, each unit once, largest first). Which one a
 * field takes is the component's choice, so each model says per field.
 */
import { z } from "zod";
import { DURATION_PATTERN } from "../../value-types.ts";

const GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;

export function isGoDuration(value: string): boolean {
  return value === "0" || GO_DURATION.test(value);
}

function isPrometheusDuration(value: string): boolean {
  return value === "0" || DURATION_PATTERN.test(value);
}

export const goDuration = z
  .string()
  .refine(isGoDuration, { error: (issue) => `${JSON.stringify(issue.input)} is not a Go duration (units ns, us, ms, s, m, h, e.g. "1h30m"; no d, w or y)` });

export const prometheusDuration = z
  .string()
  .refine(isPrometheusDuration, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a Prometheus duration (units y, w, d, h, m, s, ms, largest first, e.g. "30d" or "1h30m")`,
  });

const UNIT_SECONDS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** Seconds in a duration already known to be valid in either syntax. */
export function durationSeconds(value: string): number {
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w|y)/g)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return value.startsWith("-") ? -total : total;
}
