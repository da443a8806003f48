/**
 * After `compose up`, services whose mounted config changed but whose container was not recreated
 * must pick the change up, as the plan says for each directory: reload-capable components get
 * SIGHUP (no restart, no lost state), the others a restart; some need nothing (Grafana re-reads
 * its dashboards).
 */
import type { ApplyRule } from "../catalog/component-definition.ts";
import type { PlannedService, StackPlan } from "../render/plan.ts";

export interface PlannedApply {
  service: PlannedService;
  apply: Exclude<ApplyRule, { action: "none" }>;
}

/** Pure: which running, not-recreated services must reload or restart for these changed files. */
export function planConfigApply(plan: StackPlan, changedFiles: readonly string[], keptServices: ReadonlySet<string>): PlannedApply[] {
  const steps = new Map<string, PlannedApply>();
  for (const file of changedFiles)
    for (const service of plan.services) {
      const config = service.configs.find((candidate) => file.startsWith(`${candidate.dir}/`));
      if (!config || config.apply.action === "none" || !keptServices.has(service.name)) continue;
      if (steps.get(service.name)?.apply.action !== "restart") steps.set(service.name, { service, apply: config.apply });
    }
  return [...steps.values()].sort((a, b) => a.service.name.localeCompare(b.service.name));
}
