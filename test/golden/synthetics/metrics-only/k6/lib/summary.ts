/**
 * The summary contract between the generated k6 scripts and the bootstrapper: the script's
 * handleSummary prints this between markers, `npm run synthetics` reads it back. No k6 imports, so
 * Node can load it too.
 */
/** What the bootstrapper reads back: thresholds with their measured values and every assertion's tally. */
export interface SyntheticsSummary {
  thresholds: Array<{ metric: string; expression: string; ok: boolean; values: Record<string, number> }>;
  checks: Array<{ group: string; name: string; passes: number; fails: number }>;
}

interface SummaryGroup {
  name: string;
  groups: SummaryGroup[];
  checks: Array<{ name: string; passes: number; fails: number }>;
}

interface SummaryData {
  metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  root_group: SummaryGroup;
}

export const SUMMARY_MARKER = "@@obs-stack-synthetics-summary@@";

export function summarize(data: SummaryData): SyntheticsSummary {
  const thresholds = Object.entries(data.metrics).flatMap(([metric, entry]) =>
    Object.entries(entry.thresholds ?? {}).map(([expression, result]) => ({ metric, expression, ok: result.ok, values: entry.values })),
  );
  const checks: SyntheticsSummary["checks"] = [];
  const walk = (node: SummaryGroup) => {
    for (const item of node.checks) checks.push({ group: node.name, name: item.name, passes: item.passes, fails: item.fails });
    node.groups.forEach(walk);
  };
  walk(data.root_group);
  return { thresholds, checks };
}
