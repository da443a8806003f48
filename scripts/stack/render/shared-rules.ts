/**
 * Helpers of the rule packs whose rules are shared by many services (one rule per shape instead of
 * one per service): grouping by shape, and selecting a shape's services.
 */

/** Items in groups of equal key, in the order each key first appears (the config's order). */
export function groupedBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/** A regex label matcher selecting these services; their names are slugs (no regex metacharacters), so they alternate as they are. */
export const servicesMatcher = (label: string, services: readonly string[]) => `${label}=~${JSON.stringify(services.join("|"))}`;
