/** Config loading in stages: find → import → parse → model → resolve → cross-field rules. */
import { effectiveEnv, envFilePath } from "../config/env-file.ts";
import { findConfigFile, importConfigModule } from "../config/import-config.ts";
import { buildModel } from "../config/model.ts";
import { configProblems, gradeFindings, type RuleMode } from "../config/rules.ts";
import { stackConfigSchema } from "../config/schema.ts";
import { parseToIssues } from "../config/zod-issues.ts";
import { ConfigError, type ConfigIssue } from "../errors.ts";
import { resolveStack, type ResolvedStack } from "./resolve-stack.ts";
import { latencyBudgetProblems } from "./latency-budget-rules.ts";
import { syntheticsProblems } from "./synthetics-rules.ts";

export interface LoadedStack {
  configFile: string;
  model: ResolvedStack;
  warnings: ConfigIssue[];
}

/** Pure: validates a config value that is already in memory. Throws ConfigError listing every problem. */
export function parseStack(
  raw: unknown,
  options: { configFile: string; env: Readonly<Record<string, string | undefined>>; mode: RuleMode },
): { model: ResolvedStack; warnings: ConfigIssue[] } {
  const parsed = parseToIssues(stackConfigSchema, raw);
  if (!parsed.success) throw new ConfigError(options.configFile, parsed.issues);
  // Resolved before the rules run, so that every problem is listed at once, derived or not.
  const model = resolveStack(buildModel(parsed.data));
  const findings = gradeFindings(model, options.env, options.mode, [...configProblems(model), ...syntheticsProblems(model), ...latencyBudgetProblems(model)]);
  if (findings.errors.length > 0) throw new ConfigError(options.configFile, findings.errors);
  return { model, warnings: findings.warnings };
}

export async function loadStack(options: { config?: string; cwd: string; mode: RuleMode }): Promise<LoadedStack> {
  const configFile = findConfigFile(options.config, options.cwd);
  const raw = await importConfigModule(configFile);
  const { model, warnings } = parseStack(raw, { configFile, env: effectiveEnv(envFilePath(configFile)), mode: options.mode });
  return { configFile, model, warnings };
}
