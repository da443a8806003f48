/**
 * Prometheus-style durations ("1h30m", "15d"): their length in seconds, for limits and for the
 * components that only accept Go's h/m/s units.
 */

/** Go's time.Duration (int64 nanoseconds) ends a little after 292 years; Prometheus and every Go component refuse longer ones. */
export const MAX_DURATION_SECONDS = Math.floor((2 ** 63 - 1) / 1e9);

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

export function durationToSeconds(duration: string): number {
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}

export function durationToHours(duration: string): number {
  return Math.ceil(durationToSeconds(duration) / 3600);
}

/** Seconds as Prometheus writes a duration, largest unit first: 90 → "1m30s", 1.5 → "1s500ms", 0 → "0s". */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.round(seconds * 1000);
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const) {
    if (rest >= size) parts.push(`${Math.floor(rest / size)}${unit}`);
    rest %= size;
  }
  return parts.join("") || "0s";
}
