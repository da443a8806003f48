/** Static alert/recording rule packs from rules/, each shipped only when the component it watches runs. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { COMPONENT_NAMES, COMPONENTS, type ComponentName } from "../catalog/components.ts";
import type { StackModel } from "../config/model.ts";
import { REPO_ROOT } from "./templates.ts";

export interface RulePack {
  name: string;
  requires: ComponentName;
}

const RULE_PACKS: readonly RulePack[] = COMPONENT_NAMES.flatMap((name) => COMPONENTS[name].rulePacks.map((pack) => ({ name: pack, requires: name })));

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
