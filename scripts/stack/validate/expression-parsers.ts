/**
 * The pinned components' own query parsers, behind one batch interface: promtool for PromQL,
 * logql-check (Loki's parser, scripts/tools/logql-check) for LogQL.
 */
import { execFile, spawn } from "node:child_process";
import { stringify as stringifyYaml } from "yaml";
import type { StackModel } from "../config/model.ts";
import { StackError } from "../errors.ts";
import type { QueryLanguage } from "./expressions.ts";
import { resolveTool } from "./tool-resolver.ts";

/** Parses a batch; returns, per query and in order, the parser's error or undefined when it parses. */
export type ParseBatch = (queries: readonly string[]) => Promise<Array<string | undefined>>;

export type ExpressionParsers = Record<QueryLanguage, ParseBatch>;

/**
 * Both parsers from local binaries (pinned build cache or PATH), or what is missing. A parser run
 * per query through Docker would be far too slow, so there is no image fallback.
 */
export function localExpressionParsers(model: StackModel): { parsers: ExpressionParsers } | { missing: string } {
  const promtool = resolveTool("promtool", model);
  const logqlCheck = resolveTool("logqlCheck", model);
  if (promtool?.kind === "binary" && logqlCheck?.kind === "binary")
    return { parsers: { promql: promtoolParser(promtool.path), logql: logqlCheckParser(logqlCheck.path) } };
  const missing = Object.entries({ promtool, "logql-check": logqlCheck })
    .filter(([, tool]) => tool?.kind !== "binary")
    .map(([name]) => name);
  return { missing: `${missing.join(" and ")} not installed (run \`npm run tools\`)` };
}

function toolMissing(binary: string, cause: Error): StackError {
  return new StackError("TOOL_UNAVAILABLE", `cannot run ${binary}: ${cause.message}`, "Build the pinned validators with `npm run tools`.");
}

/**
 * PromQL through the pinned promtool, the whole batch in one process: each query becomes the only
 * recording rule of its own group (named by its index) in a rule file fed to `promtool check rules`
 * on stdin, which parses every `expr` with Prometheus's parser and names the group of each failure.
 * (`promtool promql format` parses one query per process: ~40 ms each here, too slow for hundreds.)
 */
export function promtoolParser(promtool: string): ParseBatch {
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

interface LogqlCheckResponse {
  id: string;
  ok: boolean;
  error?: string;
}

/** LogQL through logql-check: the whole batch in one process, JSON lines in and out. */
export function logqlCheckParser(binary: string): ParseBatch {
  return (queries) =>
    new Promise((resolve, reject) => {
      const child = spawn(binary, [], { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", (error) => reject(toolMissing(binary, error)));
      // A child that dies early closes its stdin (EPIPE); "close" below reports how it exited.
      child.stdin.on("error", () => undefined);
      child.on("close", (code) => {
        if (code !== 0) return reject(new StackError("VALIDATION_FAILED", `${binary} exited with ${code}: ${stderr.trim()}`, "Rebuild it with `npm run tools`."));
        const byId = new Map<string, LogqlCheckResponse>();
        for (const line of stdout.split("\n").filter(Boolean)) {
          const response = JSON.parse(line) as LogqlCheckResponse;
          byId.set(response.id, response);
        }
        resolve(
          queries.map((_, index) => {
            const response = byId.get(String(index));
            if (!response) return `${binary} gave no answer for this query`;
            return response.ok ? undefined : (response.error ?? "rejected without a message");
          }),
        );
      });
      child.stdin.end(queries.map((expr, index) => JSON.stringify({ id: String(index), expr })).join("\n"));
    });
}
