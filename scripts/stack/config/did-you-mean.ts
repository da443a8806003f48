/** Suggests the closest known name for a mistyped one (Levenshtein distance, case-insensitive). */
const MAX_TYPO_LENGTH = 100;

export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  // Nothing that long is a typo of a name, and comparing it would cost time quadratic in its length.
  if (input.length > MAX_TYPO_LENGTH) return undefined;
  const needle = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  if (!best) return undefined;
  const tolerance = Math.max(1, Math.floor(input.length / 3));
  return best.distance <= tolerance ? best.name : undefined;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("prot" → "port" is 1). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
