/**
 * The query parsers behind one batch interface: the pinned promtool for PromQL, and for LogQL
 * our in-process checker (validate/logql: Grafana's LogQL grammar plus the rules Loki enforces
 * beyond it), which needs no binary and so is always there.
 */
import { execFile } from "node:child_process";
import { stringify as stringifyYaml } from "yaml";
import type { StackModel } from "../config/model.ts";
import { StackError } from "../errors.ts";
import type { QueryLanguage } from "./expressions.ts";
import { checkLogql } from "./logql/check.ts";
import { resolveTool } from "../runtime/tool-resolver.ts";

/** Parses a batch; returns, per query and in order, the parser's error or undefined when it parses. */
export type ParseBatch = (queries: readonly string[]) => Promise<Array<string | undefined>>;

export type ExpressionParsers = Record<QueryLanguage, ParseBatch>;

/** LogQL always; PromQL too, unless promtool is missing, which `missing` then says. */
export type LocalExpressionParsers = { parsers: ExpressionParsers } | { parsers: Pick<ExpressionParsers, "logql">; missing: string };

/**
 * The parsers this machine has. promtool comes from the pinned build cache or PATH; running it per
 * query through Docker would be far too slow, so there is no image fallback.
 */
export function localExpressionParsers(model: StackModel): LocalExpressionParsers {
  const promtool = resolveTool("promtool", model);
  if (promtool?.kind === "binary") return { parsers: { promql: promtoolParser(promtool.path), logql: logqlParser } };
  return { parsers: { logql: logqlParser }, missing: "promtool not installed" };
}

/** LogQL in process (validate/logql/check.ts); synchronous underneath, a batch like the others. */
export const logqlParser: ParseBatch = async (queries) => queries.map(checkLogql);

function toolMissing(binary: string, cause: Error): StackError {
  return new StackError("TOOL_UNAVAILABLE", `cannot run ${binary}: ${cause.message}`, "Build the pinned validators with `npm run tools`.");
}

/**
 * PromQL through the pinned promtool, the whole batch in one process: each query becomes the only
 * recording rule of its own group (named by its index) in a rule file fed to `promtool check rules`
 * on stdin, which parses every `expr` with Prometheus's parser and names the group of each failure.
 * (`promtool promql format` parses one query per process: ~40 ms each here, too slow for hundreds.)
 */
function promtoolParser(promtool: string): ParseBatch {
  return (queries) =>
    new Promise((resolve, reject) => {
      const rules = stringifyYaml({ groups: queries.map((expr, index) => ({ name: String(index), rules: [{ record: "q", expr }] })) });
      const child = execFile(promtool, ["check", "rules", "--lint=none"], (error, _stdout, stderr) => {
        if (error && typeof error.code === "string") return reject(toolMissing(promtool, error));
        const errors = ruleErrorsByGroup(stderr);
        if (error && errors.size === 0)
          return reject(new StackError("VALIDATION_FAILED", `${promtool} check rules failed without naming a rule: ${stderr.trim()}`, "Rebuild it with `npm run tools`."));
        resolve(queries.map((_, index) => errors.get(String(index))));
      });
      // A child that dies early closes its stdin (EPIPE); the exit callback above reports it.
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(rules);
    });
}

/** `9:15: group "3", rule 1, "q": could not parse expression: 1:16: parse error: …` → "3" → the rest. */
const RULE_ERROR = /^(?:\d+:\d+: )*group "([^"]*)", rule \d+, "[^"]*": (.*)$/;

function ruleErrorsByGroup(stderr: string): Map<string, string> {
  const errors = new Map<string, string>();
  let group: string | undefined;
  for (const line of stderr.split("\n")) {
    const match = RULE_ERROR.exec(line);
    if (match) {
      group = match[1]!;
      errors.set(group, errors.has(group) ? `${errors.get(group)}; ${match[2]}` : match[2]!);
    } else if (group !== undefined && line.trim() !== "") {
      // A message that spans lines continues the previous rule's error.
      errors.set(group, `${errors.get(group)}\n${line}`);
    }
  }
  return errors;
}
