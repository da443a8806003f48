/**
 * Every provisioned dashboard, with the condition under which a stack ships it: the components it
 * charts run and the config declares what it shows. Uids are fixed: alert annotations link to
 * `/d/<uid>`.
 */
import type { ComponentName } from "../scripts/stack/catalog/components.ts";
import type { StackModel } from "../scripts/stack/config/model.ts";
import type { ResolvedStack } from "../scripts/stack/resolve/resolve-stack.ts";
import { alertsOverview } from "./alerts-overview.ts";
import { containers } from "./containers.ts";
import { host } from "./host.ts";
import type { DashboardContext } from "./lib/context.ts";
import type { BuiltDashboard } from "./lib/draft.ts";
import { logs } from "./logs.ts";
import { serviceOverview } from "./service-overview.ts";
import { slo } from "./slo.ts";
import { stackHealth } from "./stack-health.ts";
import { synthetics } from "./synthetics.ts";
import { traces } from "./traces.ts";

export interface DashboardSource {
  uid: string;
  ships(model: ResolvedStack): boolean;
  build(context: DashboardContext): BuiltDashboard;
}

const runs = (model: StackModel, ...names: ComponentName[]) => names.every((name) => model.enabled[name]);
const scrapedServices = (model: StackModel) => model.config.services.filter((service) => service.metricsPath !== false);

export const DASHBOARD_SOURCES: readonly DashboardSource[] = [
  { uid: "stack-health", ships: (model) => runs(model, "prometheus"), build: stackHealth },
  { uid: "alerts-overview", ships: (model) => runs(model, "prometheus"), build: alertsOverview },
  { uid: "host", ships: (model) => runs(model, "prometheus", "nodeExporter"), build: host },
  { uid: "containers", ships: (model) => runs(model, "prometheus", "cadvisor"), build: containers },
  // Same condition as the ServiceDown alerts that link to it.
  { uid: "service-overview", ships: (model) => runs(model, "prometheus") && scrapedServices(model).length > 0, build: serviceOverview },
  { uid: "logs", ships: (model) => model.logDestination !== null, build: logs },
  // Span metrics come from the Collector into Prometheus; the trace search needs Jaeger.
  { uid: "traces", ships: (model) => runs(model, "jaeger", "otelCollector", "prometheus"), build: traces },
  // Probes need blackbox; k6 runs need services to test. The synthetics rule pack needs blackbox alone.
  {
    uid: "synthetics",
    ships: (model) => runs(model, "prometheus") && (model.enabled.blackbox || model.config.services.length > 0),
    build: synthetics,
  },
  // Same condition as the generated SLO rules it reads.
  { uid: "slo", ships: (model) => runs(model, "prometheus") && model.objectives.length > 0, build: slo },
];
