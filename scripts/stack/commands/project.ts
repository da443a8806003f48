/** Loads the config (without writing anything) and locates the generated bundle it belongs to. */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { StackOptions } from "../args.ts";
import { envFilePath } from "../config/env-file.ts";
import { findConfigFile } from "../config/import-config.ts";
import { loadStack } from "../resolve/load.ts";
import { buildModel } from "../config/model.ts";
import { resolveStack } from "../resolve/resolve-stack.ts";
import { stackConfigSchema } from "../config/schema.ts";
import { ConfigError, StackError, formatIssue } from "../errors.ts";
import type { Output } from "../output.ts";
import { BUNDLE_PATHS } from "../bundle/bundle.ts";
import type { ComposeProject } from "../runtime/compose-cli.ts";
import { readPlan } from "../runtime/plan.ts";

export async function loadProject(options: StackOptions, requireBundle: boolean): Promise<ComposeProject> {
  const { configFile, model } = await loadStack({ config: options.config, cwd: process.cwd(), mode: "generate" });
  const bundleDir = resolve(process.cwd(), options.out);
  if (requireBundle && !existsSync(join(bundleDir, "compose.yaml")))
    throw new StackError("USAGE", `no generated bundle in ${bundleDir}`, "run `npm run up` (or `npm run generate`) first");
  return { bundleDir, envFile: envFilePath(configFile), model };
}

/**
 * For commands that act on what is already running (`down`, `logs`): a config that no longer
 * parses must not stand in the way, so they fall back to the project the bundle was generated for.
 */
export async function loadRunningProject(options: StackOptions, out: Output): Promise<ComposeProject> {
  try {
    return await loadProject(options, true);
  } catch (error) {
    const bundleDir = resolve(process.cwd(), options.out);
    if (!(error instanceof ConfigError || (error instanceof StackError && error.code === "CONFIG_IMPORT_FAILED")) || !existsSync(join(bundleDir, BUNDLE_PATHS.plan))) throw error;
    const detail = error instanceof ConfigError ? error.issues.map(formatIssue).join("; ") : error.message;
    out.warn(`the config does not load (${detail}); using the generated bundle in ${bundleDir}`);
    const model = resolveStack(buildModel(stackConfigSchema.parse({ project: { name: readPlan(bundleDir).project } })));
    return { bundleDir, envFile: envFilePath(findConfigFile(options.config, process.cwd())), model };
  }
}
