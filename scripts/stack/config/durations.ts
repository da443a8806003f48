/** Converts the config's Prometheus-style durations for components that only accept Go's h/m/s units. */
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
