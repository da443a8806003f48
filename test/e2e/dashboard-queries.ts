/**
 * "No dead panels": runs every query of the shipped dashboards against the live Prometheus, Loki and
 * Jaeger of the e2e stack, the way Grafana would send it — variables filled with their "All" value,
 * or for single-select ones with a value their own query returns.
 */
import { buildDashboards } from "../../dashboards/build.ts";
import type { DashboardQuery } from "../../dashboards/lib/draft.ts";
import type { ResolvedStack } from "../../scripts/stack/resolve/resolve-stack.ts";
import { substituteVariables } from "../../scripts/stack/validate/grafana-variables.ts";

const PROMETHEUS = "http://127.0.0.1:9090";
const LOKI = "http://127.0.0.1:3100";
const JAEGER = "http://127.0.0.1:16686";
const WINDOW_SECONDS = 15 * 60;

export interface QueryResult {
  dashboard: string;
  panel: string;
  query: string;
  expectsData: true | string;
  series: number;
  error: string | undefined;
}

type PanelQuery = Extract<DashboardQuery, { kind: "panel" }>;
type VariableQuery = Extract<DashboardQuery, { kind: "variable" }>;

/** Values for each dashboard's variables: "All" regexes, a real value for single-selects, "" for text boxes. */
export async function dashboardVariables(model: ResolvedStack, queries: readonly DashboardQuery[], prefer: string): Promise<Map<string, Map<string, string>>> {
  const byDashboard = new Map<string, Map<string, string>>();
  for (const built of buildDashboards(model)) {
    const values = new Map<string, string>();
    for (const variable of (built.json.templating?.list ?? []) as Array<{ type: string; name: string }>) {
      if (variable.type === "textbox") values.set(variable.name, "");
    }
    byDashboard.set(built.uid, values);
  }
  for (const variable of queries.filter((q): q is VariableQuery => q.kind === "variable")) {
    const values = byDashboard.get(variable.dashboard)!;
    if (variable.allValue !== undefined) {
      values.set(variable.variable, variable.allValue);
      continue;
    }
    const options = await labelValues(substituteVariables(variable.query.expr, values), variable.query.datasource, variable.label);
    values.set(variable.variable, options.includes(prefer) ? prefer : (options[0] ?? ""));
  }
  return byDashboard;
}

async function labelValues(expr: string, datasource: "prometheus" | "loki", label: string): Promise<string[]> {
  const start = Math.floor(Date.now() / 1000) - WINDOW_SECONDS;
  if (datasource === "prometheus") {
    const body = await getJson<{ data: Array<Record<string, string>> }>(`${PROMETHEUS}/api/v1/series?match[]=${encodeURIComponent(expr)}&start=${start}`);
    return [...new Set(body.data.map((series) => series[label]).filter((value): value is string => Boolean(value)))].sort();
  }
  const body = await getJson<{ data?: string[] }>(`${LOKI}/loki/api/v1/label/${label}/values?query=${encodeURIComponent(expr)}&start=${start}000000000`);
  return body.data ?? [];
}

export async function runPanelQuery(query: PanelQuery, variables: ReadonlyMap<string, string>): Promise<QueryResult> {
  const base = { dashboard: query.dashboard, panel: `${query.panel} [${query.refId}]`, expectsData: query.query.expectsData };
  const end = Math.floor(Date.now() / 1000);
  const start = end - WINDOW_SECONDS;
  try {
    const q = query.query;
    if (q.datasource === "jaeger") {
      const tags = Object.fromEntries((q.search.tags ?? "").split(/\s+/).filter(Boolean).map((pair) => pair.split("=") as [string, string]));
      const service = substituteVariables(q.search.service, variables);
      const params = new URLSearchParams({ service, limit: String(q.search.limit), lookback: "1h", ...(q.search.operation ? { operation: q.search.operation } : {}), ...(Object.keys(tags).length ? { tags: JSON.stringify(tags) } : {}) });
      const body = await getJson<{ data: unknown[] | null }>(`${JAEGER}/api/traces?${params}`);
      return { ...base, query: `jaeger ${params}`, series: body.data?.length ?? 0, error: undefined };
    }
    const expr = substituteVariables(q.expr, variables);
    const url =
      q.datasource === "prometheus"
        ? q.instant
          ? `${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(expr)}&time=${end}`
          : `${PROMETHEUS}/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${start}&end=${end}&step=30`
        : `${LOKI}/loki/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${start}000000000&end=${end}000000000&limit=100&step=30`;
    const body = await getJson<{ status: string; data: { result: unknown[] } }>(url);
    return { ...base, query: expr, series: body.data.result.length, error: body.status === "success" ? undefined : body.status };
  } catch (error) {
    return { ...base, query: "query" in query.query ? "" : "", series: 0, error: (error as Error).message };
  }
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
