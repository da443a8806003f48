/**
 * A seeded pseudo-random source: the latency and error model draws from it, so tests can pin a
 * seed and check distributions exactly, while the running service seeds it from the clock.
 */
export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for simulated latencies (not for anything secret). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A value in [min, max]. `skew` > 1 bunches values near `min` and leaves a long tail towards
 * `max`, which is the shape real request latencies have.
 */
export function between(rng: Rng, min: number, max: number, skew = 1): number {
  return min + (max - min) * rng() ** skew;
}

export function integerBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function chance(rng: Rng, probability: number): boolean {
  return rng() < probability;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new RangeError("pick() needs a non-empty list");
  return item;
}

export function weighted<T>(rng: Rng, entries: ReadonlyArray<readonly [T, number]>): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let remaining = rng() * total;
  for (const [value, weight] of entries) {
    remaining -= weight;
    if (remaining < 0) return value;
  }
  const last = entries.at(-1);
  if (last === undefined) throw new RangeError("weighted() needs a non-empty list");
  return last[0];
}

export function hexId(rng: Rng, length: number): string {
  let id = "";
  while (id.length < length) id += Math.floor(rng() * 16).toString(16);
  return id;
}
