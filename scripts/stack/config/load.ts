/** Config loading in stages: find → import → parse → model → cross-field rules. */
import { ConfigError, type ConfigIssue } from "../errors.ts";
import { effectiveEnv, envFilePath } from "./env-file.ts";
import { findConfigFile, importConfigModule } from "./import-config.ts";
import { buildModel, type StackModel } from "./model.ts";
import { checkRules, type RuleMode } from "./rules.ts";
import { stackConfigSchema } from "./schema.ts";
import { toConfigIssues } from "./zod-issues.ts";

export interface LoadedStack {
  configFile: string;
  model: StackModel;
  warnings: ConfigIssue[];
}

/** Pure: validates a config value that is already in memory. Throws ConfigError listing every problem. */
export function parseStack(
  raw: unknown,
  options: { configFile: string; env: Readonly<Record<string, string | undefined>>; mode: RuleMode },
): { model: StackModel; warnings: ConfigIssue[] } {
  const parsed = stackConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(options.configFile, toConfigIssues(stackConfigSchema, parsed.error));
  const model = buildModel(parsed.data);
  const findings = checkRules(model, options.env, options.mode);
  if (findings.errors.length > 0) throw new ConfigError(options.configFile, findings.errors);
  return { model, warnings: findings.warnings };
}

export async function loadStack(options: { config?: string; cwd: string; mode: RuleMode }): Promise<LoadedStack> {
  const configFile = findConfigFile(options.config, options.cwd);
  const raw = await importConfigModule(configFile);
  const { model, warnings } = parseStack(raw, { configFile, env: effectiveEnv(envFilePath(configFile)), mode: options.mode });
  return { configFile, model, warnings };
}
