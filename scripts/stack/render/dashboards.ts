/**
 * Provisioned dashboards: built from the typed sources in dashboards/, shipped when Grafana and the
 * components each one charts run. Also lists every query they run, with whether data is expected,
 * for the e2e "no dead panels" test.
 */
import { DASHBOARD_SOURCES } from "../../../dashboards/index.ts";
import type { DashboardContext } from "../../../dashboards/lib/context.ts";
import type { BuiltDashboard, DashboardQuery } from "../../../dashboards/lib/draft.ts";
import { componentUrl } from "../config/addresses.ts";
import { collectorShipsContainerLogs, type StackModel } from "../config/model.ts";
import { probeTargets } from "./probes.ts";

export type { DashboardQuery } from "../../../dashboards/lib/draft.ts";
export type { ExpectsData } from "../../../dashboards/lib/queries.ts";

export function buildDashboards(model: StackModel): BuiltDashboard[] {
  if (!model.enabled.grafana) return [];
  const sources = DASHBOARD_SOURCES.filter((source) => source.ships(model));
  const context: DashboardContext = {
    enabled: model.enabled,
    shipped: new Set(sources.map((source) => source.uid)),
    probes: model.enabled.blackbox && probeTargets(model.config.services).length > 0,
    containerLogsViaCollector: collectorShipsContainerLogs(model),
    jaegerUiUrl: componentUrl(model.config, "jaeger"),
  };
  return sources.map((source) => source.build(context));
}

/** Jaeger's UI as a browser on the stack's host reaches it: the published address, or localhost. */
/** [file name, JSON] per shipped dashboard, for grafana/dashboards/ in the bundle. */
export function dashboardFiles(model: StackModel): Array<[string, string]> {
  return buildDashboards(model).map((built) => [`${built.uid}.json`, `${JSON.stringify(built.json, null, 2)}\n`]);
}

/**
 * Every query of the shipped dashboards: panel targets and template-variable value queries, each
 * with whether a fresh healthy stack answers it with data (or why it legitimately does not).
 * Queries keep Grafana's variables ($service, $__rate_interval); substituteVariables in
 * validate/grafana-variables.ts fills them in, e.g. with each variable's allValue or a value its
 * own query returns.
 */
export function dashboardQueries(model: StackModel): DashboardQuery[] {
  return buildDashboards(model).flatMap((built) => built.queries);
}
