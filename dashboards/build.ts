/**
 * Provisioned dashboards: built from the typed sources in this folder, shipped when Grafana and the
 * components each one charts run. Also lists every query they run, with whether data is expected,
 * for the e2e "no dead panels" test.
 */
import { componentUrl } from "../scripts/stack/config/addresses.ts";
import { collectorShipsContainerLogs } from "../scripts/stack/config/model.ts";
import { proxiedUrl } from "../scripts/stack/config/proxy-address.ts";
import type { ResolvedStack } from "../scripts/stack/resolve/resolve-stack.ts";
import { DASHBOARD_SOURCES } from "./index.ts";
import type { DashboardContext } from "./lib/context.ts";
import type { BuiltDashboard, DashboardQuery } from "./lib/draft.ts";

export function buildDashboards(model: ResolvedStack): BuiltDashboard[] {
  if (!model.enabled.grafana) return [];
  const sources = DASHBOARD_SOURCES.filter((source) => source.ships(model));
  const context: DashboardContext = {
    enabled: model.enabled,
    shipped: new Set(sources.map((source) => source.uid)),
    probes: model.enabled.blackbox && model.probes.length > 0,
    containerLogsViaCollector: collectorShipsContainerLogs(model),
    // Behind the proxy, the one address that works off the stack's host too.
    jaegerUiUrl: proxiedUrl(model, "jaeger")?.replace(/\/$/, "") ?? componentUrl(model.config, "jaeger"),
  };
  return sources.map((source) => source.build(context));
}

/** [file name, JSON] per shipped dashboard, for grafana/dashboards/ in the bundle. */
export function dashboardFiles(model: ResolvedStack): Array<[string, string]> {
  return buildDashboards(model).map((built) => [`${built.uid}.json`, `${JSON.stringify(built.json, null, 2)}\n`]);
}

/**
 * Every query of the shipped dashboards: panel targets and template-variable value queries, each
 * with whether a fresh healthy stack answers it with data (or why it legitimately does not).
 * Queries keep Grafana's variables ($service, $__rate_interval); substituteVariables in
 * validate/grafana-variables.ts fills them in, e.g. with each variable's allValue or a value its
 * own query returns.
 */
export function dashboardQueries(model: ResolvedStack): DashboardQuery[] {
  return buildDashboards(model).flatMap((built) => built.queries);
}
