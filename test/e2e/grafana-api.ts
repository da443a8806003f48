/**
 * Grafana's HTTP API as the official-images e2e uses it: basic auth as the admin, and a dashboard's
 * panel targets turned into the requests Grafana's frontend sends for them.
 */
import { basicAuth } from "../../scripts/stack/checks/http.ts";
import { substituteVariables } from "../../scripts/stack/validate/grafana-variables.ts";

export interface GrafanaTarget {
  refId: string;
  datasource: { type: string; uid: string };
  expr?: string;
  service?: string;
  tags?: string;
  limit?: number;
}

export interface GrafanaPanel {
  type: string;
  title?: string;
  targets?: GrafanaTarget[];
  /** A collapsed row keeps its panels here. */
  panels?: GrafanaPanel[];
}

export interface DashboardJson {
  uid: string;
  title: string;
  panels: GrafanaPanel[];
}

export interface GrafanaResponse<T> {
  status: number;
  body: T;
}

export interface Grafana {
  get<T>(path: string): Promise<GrafanaResponse<T>>;
  post<T>(path: string, body: unknown): Promise<GrafanaResponse<T>>;
}

export function grafanaClient(baseUrl: string, user: string, password: string): Grafana {
  const request = async <T>(method: string, path: string, body?: unknown): Promise<GrafanaResponse<T>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...basicAuth(user, password), "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    // Error answers are not always JSON (a proxy's plain-text 502, say): keep the text for the message.
    const parsed = (() => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return { message: text.slice(0, 300) };
      }
    })();
    return { status: response.status, body: parsed as T };
  };
  return { get: (path) => request("GET", path), post: (path, body) => request("POST", path, body) };
}

/** Every panel of a dashboard, the panels inside rows included. */
export function allPanels(panels: readonly GrafanaPanel[]): GrafanaPanel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

/** The default range of the requests below, and Grafana's minimum interval for it (the scrape interval). */
const RANGE = { from: "now-15m", to: "now" };
const INTERVAL_MS = 15_000;

/**
 * The body Grafana's frontend posts to /api/ds/query for one panel's targets: each target as it is
 * in the dashboard, its expression with the template variables filled in.
 */
export function dsQueryBody(targets: readonly GrafanaTarget[], variables: ReadonlyMap<string, string>): unknown {
  return {
    ...RANGE,
    queries: targets.map((target) => ({
      ...target,
      ...(target.expr === undefined ? {} : { expr: substituteVariables(target.expr, variables) }),
      intervalMs: INTERVAL_MS,
      maxDataPoints: 1000,
    })),
  };
}

interface DsQueryResult {
  error?: string;
  frames?: Array<{ data?: { values?: unknown[][] } }>;
}

export interface DsQueryResponse {
  message?: string;
  results?: Record<string, DsQueryResult>;
}

export interface QueryOutcome {
  errors: string[];
  /** Targets whose answer has at least one non-empty frame. */
  withData: number;
}

/** Each target's error frame, or a missing answer, in /api/ds/query's response. */
export function dsQueryOutcome(targets: readonly GrafanaTarget[], response: GrafanaResponse<DsQueryResponse>): QueryOutcome {
  const errors: string[] = [];
  let withData = 0;
  for (const { refId } of targets) {
    const result = response.body.results?.[refId];
    if (!result) errors.push(`${refId}: no answer (HTTP ${response.status}: ${response.body.message ?? ""})`);
    else if (result.error) errors.push(`${refId}: ${result.error}`);
    else if ((result.frames ?? []).some((frame) => (frame.data?.values?.[0]?.length ?? 0) > 0)) withData++;
  }
  return { errors, withData };
}

/**
 * A Jaeger search target as Grafana's frontend runs it: through the datasource proxy to Jaeger's
 * /api/traces (its backend answers only trace-id and dependency queries unless the
 * jaegerBackendMigration feature toggle is on), tags from logfmt to JSON, times in microseconds.
 */
export function jaegerSearchPath(target: GrafanaTarget, variables: ReadonlyMap<string, string>): string {
  const end = Date.now() * 1000;
  const tags = Object.fromEntries((target.tags ?? "").split(/\s+/).filter(Boolean).map((pair) => pair.split("=") as [string, string]));
  const params = new URLSearchParams({
    service: substituteVariables(target.service ?? "", variables),
    limit: String(target.limit ?? 20),
    start: String(end - 15 * 60 * 1_000_000),
    end: String(end),
    lookback: "custom",
    ...(Object.keys(tags).length > 0 ? { tags: JSON.stringify(tags) } : {}),
  });
  return `/api/datasources/proxy/uid/${target.datasource.uid}/api/traces?${params}`;
}
