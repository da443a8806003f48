/** blackbox.yml: the stock modules plus one module per custom synthetic check. */
import { stringify } from "yaml";
import type { StackModel } from "../config/model.ts";
import { blackboxModules } from "./probes.ts";
import { GENERATED_HEADER } from "./templates.ts";

export function renderBlackboxConfig(model: StackModel): string {
  return `${GENERATED_HEADER}\n${stringify({ modules: blackboxModules(model.config.services) }, { lineWidth: 0 })}`;
}
