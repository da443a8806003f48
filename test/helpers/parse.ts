/** Parses an inline config object the way `generate` does, returning the issues instead of throwing. */
import type { RuleMode } from "../../scripts/stack/config/rules.ts";
import { ConfigError, type ConfigIssue } from "../../scripts/stack/errors.ts";
import type { StackConfigInput } from "../../scripts/stack/index.ts";
import { parseStack } from "../../scripts/stack/resolve/load.ts";
import type { ResolvedStack } from "../../scripts/stack/resolve/resolve-stack.ts";

export type ParseOutcome =
  | { ok: true; model: ResolvedStack; warnings: ConfigIssue[] }
  | { ok: false; issues: readonly ConfigIssue[] };

export function tryParse(raw: unknown, options: { env?: Record<string, string>; mode?: RuleMode } = {}): ParseOutcome {
  try {
    const { model, warnings } = parseStack(raw, { configFile: "stack.config.ts", env: options.env ?? {}, mode: options.mode ?? "generate" });
    return { ok: true, model, warnings };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, issues: error.issues };
    throw error;
  }
}

export function issuesOf(raw: StackConfigInput | Record<string, unknown>, options: { env?: Record<string, string>; mode?: RuleMode } = {}): readonly ConfigIssue[] {
  const outcome = tryParse(raw, options);
  if (outcome.ok) throw new Error("expected the config to be rejected, but it parsed");
  return outcome.issues;
}

export function modelOf(raw: StackConfigInput): ResolvedStack {
  const outcome = tryParse(raw);
  if (!outcome.ok) throw new Error(`expected the config to parse: ${JSON.stringify(outcome.issues)}`);
  return outcome.model;
}
