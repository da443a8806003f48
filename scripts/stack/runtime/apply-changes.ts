/**
 * After `compose up`, components whose mounted config changed but whose container was not
 * recreated must pick the change up: reload-capable ones get SIGHUP (no restart, no lost state),
 * the others a restart. Grafana dashboards need nothing: the provider re-reads them.
 */
import { SERVICE_NAMES, type ComponentName } from "../catalog/components.ts";

export type ApplyAction = "reload" | "restart" | "none";

interface ConfigOwner {
  prefix: string;
  component: ComponentName;
  action: ApplyAction;
}

const CONFIG_OWNERS: readonly ConfigOwner[] = [
  { prefix: "prometheus/", component: "prometheus", action: "reload" },
  { prefix: "alertmanager/", component: "alertmanager", action: "reload" },
  { prefix: "blackbox/", component: "blackbox", action: "reload" },
  { prefix: "loki/", component: "loki", action: "restart" },
  { prefix: "promtail/", component: "promtail", action: "restart" },
  { prefix: "alloy/", component: "alloy", action: "reload" },
  { prefix: "otelcol/", component: "otelCollector", action: "restart" },
  { prefix: "jaeger/", component: "jaeger", action: "restart" },
  { prefix: "grafana/provisioning/", component: "grafana", action: "restart" },
  { prefix: "grafana/dashboards/", component: "grafana", action: "none" },
];

export interface PlannedApply {
  component: ComponentName;
  service: string;
  action: Exclude<ApplyAction, "none">;
}

/** Pure: which running, not-recreated services must reload or restart for these changed files. */
export function planConfigApply(changedFiles: readonly string[], keptServices: ReadonlySet<string>): PlannedApply[] {
  const plan = new Map<ComponentName, PlannedApply["action"]>();
  for (const file of changedFiles) {
    const owner = CONFIG_OWNERS.find((candidate) => file.startsWith(candidate.prefix));
    if (!owner || owner.action === "none" || !keptServices.has(SERVICE_NAMES[owner.component])) continue;
    if (plan.get(owner.component) !== "restart") plan.set(owner.component, owner.action);
  }
  return [...plan]
    .map(([component, action]) => ({ component, service: SERVICE_NAMES[component], action }))
    .sort((a, b) => a.service.localeCompare(b.service));
}
