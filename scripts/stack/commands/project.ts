/** Loads the config (without writing anything) and locates the generated bundle it belongs to. */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CommonOptions } from "../args.ts";
import { envFilePath } from "../config/env-file.ts";
import { loadStack } from "../config/load.ts";
import { StackError } from "../errors.ts";
import type { ComposeProject } from "../runtime/compose-cli.ts";

export async function loadProject(options: CommonOptions, requireBundle: boolean): Promise<ComposeProject> {
  const { configFile, model } = await loadStack({ config: options.config, cwd: process.cwd(), mode: "generate" });
  const bundleDir = resolve(process.cwd(), options.out);
  if (requireBundle && !existsSync(join(bundleDir, "compose.yaml")))
    throw new StackError("USAGE", `no generated bundle in ${bundleDir}`, "run `npm run up` (or `npm run generate`) first");
  return { bundleDir, envFile: envFilePath(configFile), model };
}
