/** What stack.config.ts imports. */
import type { StackConfigInput } from "./config/schema.ts";

export type { StackConfigInput } from "./config/schema.ts";

/** Returns its argument unchanged; it exists so the editor type-checks and completes the config. */
export function defineStack(config: StackConfigInput): StackConfigInput {
  return config;
}
