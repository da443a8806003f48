/** Static alert/recording rule packs from rules/, each shipped only when the component it watches runs. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { COMPONENT_NAMES, COMPONENTS, type ComponentName } from "../catalog/components.ts";
import type { StackModel } from "../config/model.ts";
import { REPO_ROOT } from "./templates.ts";

/**
 * A rule pack's files. The tests are rendered only when asked for: `validate` runs them, while
 * `generate` writes only the rules (at 1,000 services the tests were half of its work).
 */
export interface RulePackFiles {
  rules: string;
  tests: () => string;
}

export interface RulePack {
  name: string;
  requires: ComponentName;
}

const RULE_PACKS: readonly RulePack[] = COMPONENT_NAMES.flatMap((name) => COMPONENTS[name].rulePacks.map((pack) => ({ name: pack, requires: name })));

export const RULES_DIR = join(REPO_ROOT, "rules");

export function enabledRulePacks(model: StackModel): RulePack[] {
  return RULE_PACKS.filter((pack) => model.enabled[pack.requires]);
}

export function readRulePack(pack: RulePack): RulePackFiles {
  return {
    rules: readFileSync(join(RULES_DIR, `${pack.name}.yml`), "utf8"),
    tests: () => readFileSync(join(RULES_DIR, "tests", `${pack.name}.test.yml`), "utf8"),
  };
}
