/** What a dashboard may depend on (which components run, which dashboards ship with it) and links. */
import type { ComponentName } from "../../scripts/stack/catalog/components.ts";
import { datasourceRef, type DatasourceType } from "./queries.ts";

export interface DashboardContext {
  enabled: Readonly<Record<ComponentName, boolean>>;
  /** Uids of every dashboard this stack ships: cross-links point only at these. */
  shipped: ReadonlySet<string>;
  /** Whether blackbox probes anything: services may declare no health endpoints. */
  probes: boolean;
  /** Whether container logs travel through the Collector (logs.collector "otelcol"), not a dedicated agent. */
  containerLogsViaCollector: boolean;
  /** Where a browser reaches the Jaeger UI: through the proxy when it runs, else its published address. */
  jaegerUiUrl: string;
}

/** Grafana carries the dashboard's time range across a link that ends with this. */
const TIME_RANGE = "${__url_time_range}";

/**
 * A link to another shipped dashboard, or undefined when this stack does not ship it. Params are
 * raw `name=value` strings so they may hold Grafana variables such as `${service:queryparam}`.
 */
export function dashboardUrl(context: DashboardContext, uid: string, ...params: string[]): string | undefined {
  if (!context.shipped.has(uid)) return undefined;
  return `/d/${uid}?${[...params, TIME_RANGE].join("&")}`;
}

/**
 * An Explore link running one query. Grafana 10-13 all read the single-pane `left` form. Dashboard
 * variables in the query (`$service`) stay unencoded so Grafana interpolates them in the link.
 */
export function exploreUrl(datasource: DatasourceType, query: Record<string, string | number>): string {
  const state = { datasource: datasourceRef(datasource).uid, queries: [{ refId: "A", datasource: datasourceRef(datasource), ...query }], range: { from: "now-1h", to: "now" } };
  return `/explore?left=${encodeURIComponent(JSON.stringify(state)).replace(/%24(\w+)/g, "$$$1")}`;
}
