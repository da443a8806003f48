/** Summaries of repeated measurements: never one number alone, always with its spread. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new Error("no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}
