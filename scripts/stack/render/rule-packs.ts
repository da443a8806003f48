/** Static alert/recording rule packs from rules/, each shipped only when the component it watches runs. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ComponentName } from "../catalog/components.ts";
import type { StackModel } from "../config/model.ts";
import { REPO_ROOT } from "./templates.ts";

export interface RulePack {
  name: string;
  requires: ComponentName;
}

export const RULE_PACKS: readonly RulePack[] = [
  { name: "stack", requires: "prometheus" },
  { name: "prometheus-tsdb", requires: "prometheus" },
  { name: "alertmanager", requires: "alertmanager" },
  { name: "loki", requires: "loki" },
  { name: "promtail", requires: "promtail" },
  { name: "alloy", requires: "alloy" },
  { name: "otelcol", requires: "otelCollector" },
  { name: "host", requires: "nodeExporter" },
  { name: "containers", requires: "cadvisor" },
  { name: "synthetics", requires: "blackbox" },
];

export const RULES_DIR = join(REPO_ROOT, "rules");

export function enabledRulePacks(model: StackModel): RulePack[] {
  return RULE_PACKS.filter((pack) => model.enabled[pack.requires]);
}

export function readRulePack(pack: RulePack): { rules: string; tests: string } {
  return {
    rules: readFileSync(join(RULES_DIR, `${pack.name}.yml`), "utf8"),
    tests: readFileSync(join(RULES_DIR, "tests", `${pack.name}.test.yml`), "utf8"),
  };
}
