/**
 * What a typed model reports: findings that name the field (`limits_config.retention_period: …`),
 * from a YAML parse, a zod schema, or a model's own cross-field rules.
 */
import { parseDocument } from "yaml";
import type { z } from "zod";
import { formatPath, parseToIssues } from "../../config/zod-issues.ts";
import type { ConfigIssue } from "../../errors.ts";

export type ModelFinding = ConfigIssue;

export function finding(path: ReadonlyArray<string | number>, message: string, hint?: string): ModelFinding {
  return hint === undefined ? { path: formatPath(path), message } : { path: formatPath(path), message, hint };
}

export function formatFinding(item: ModelFinding): string {
  const location = item.path === "" ? "(top level)" : item.path;
  return item.hint ? `${location}: ${item.message} (${item.hint})` : `${location}: ${item.message}`;
}

/** Findings of a nested value, re-rooted at the path where that value sits. */
export function nestedUnder(path: ReadonlyArray<string | number>, findings: readonly ModelFinding[]): ModelFinding[] {
  const prefix = formatPath(path);
  return findings.map((item) => ({
    ...item,
    path: item.path === "" ? prefix : item.path.startsWith("[") || prefix === "" ? `${prefix}${item.path}` : `${prefix}.${item.path}`,
  }));
}

/** YAML into plain data; a syntax error is a finding with its line and column. */
export function parseYaml(text: string): { data: unknown } | { findings: ModelFinding[] } {
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) return { findings: document.errors.map((error) => finding([], `YAML: ${error.message.split("\n")[0]}`)) };
  return { data: document.toJS() };
}

/** Runs a schema; on success also the model's rules over the typed value. */
export function checkAgainst<Schema extends z.ZodType>(
  schema: Schema,
  data: unknown,
  rules: (value: z.output<Schema>) => ModelFinding[] = () => [],
): ModelFinding[] {
  const parsed = parseToIssues(schema, data);
  return parsed.success ? rules(parsed.data) : parsed.issues;
}

/** YAML file → schema → rules, the shape every YAML model shares. */
export function checkYamlFile<Schema extends z.ZodType>(text: string, schema: Schema, rules?: (value: z.output<Schema>) => ModelFinding[]): ModelFinding[] {
  const parsed = parseYaml(text);
  return "findings" in parsed ? parsed.findings : checkAgainst(schema, parsed.data, rules);
}
