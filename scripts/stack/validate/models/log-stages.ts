/**
 * The log-processing stages Promtail's `pipeline_stages` and Alloy's `loki.process` share (Alloy's
 * stages are Promtail's, ported): the rules each stage checks when the agent builds its pipeline.
 */
import { checkLogql } from "../logql/check.ts";
import { goDuration } from "./durations.ts";
import { finding, type ModelFinding } from "./findings.ts";
import { re2SyntaxError } from "../../syntax/re2.ts";
import { LABEL_NAME } from "./relabel-rules.ts";
import { streamSelectorProblem } from "./stream-selector.ts";

export function regexProblems(field: string, pattern: string | undefined): ModelFinding[] {
  if (pattern === undefined) return [];
  const problem = re2SyntaxError(pattern);
  return problem ? [finding([field], `not a valid RE2 regex: ${problem}`)] : [];
}

export function dropStageProblems(stage: { source?: unknown; expression?: string; value?: string; older_than?: string; longer_than?: unknown }): ModelFinding[] {
  const findings = regexProblems("expression", stage.expression);
  const has = (value: unknown) => value !== undefined && value !== "";
  if (![stage.source, stage.expression, stage.older_than, stage.longer_than].some(has))
    findings.push(finding([], "a drop stage needs at least one of source, expression, older_than or longer_than"));
  if (has(stage.value) && !has(stage.source)) findings.push(finding(["value"], "needs source"));
  if (has(stage.value) && has(stage.expression)) findings.push(finding(["value"], "cannot be combined with expression"));
  if (has(stage.older_than) && !goDuration.safeParse(stage.older_than).success) findings.push(finding(["older_than"], `${JSON.stringify(stage.older_than)} is not a Go duration`));
  return findings;
}

export function matchStageProblems(stage: { selector: string; action?: string | undefined }, nestedStageCount: number): ModelFinding[] {
  const findings: ModelFinding[] = [];
  // The shape first, for a message about selectors; then Loki's own grammar and rules for the whole query.
  const problem = streamSelectorProblem(stage.selector, { allowPipeline: true }) ?? checkLogql(stage.selector);
  if (problem) findings.push(finding(["selector"], problem));
  const action = stage.action ?? "keep";
  if (action === "drop" && nestedStageCount > 0) findings.push(finding(["stages"], "must be empty when action is drop"));
  if (action === "keep" && nestedStageCount === 0) findings.push(finding(["stages"], "a keep match needs nested stages"));
  return findings;
}

/** Label names set by `labels` and `structured_metadata` stages. */
export function labelNameProblems(names: readonly string[], at: ReadonlyArray<string | number> = []): ModelFinding[] {
  return names.filter((name) => !LABEL_NAME.test(name)).map((name) => finding([...at, name], `${JSON.stringify(name)} is not a label name`));
}

/** Go text/template actions must open and close in pairs; the functions inside are the agent's business. */
export function templateProblems(field: string, template: string): ModelFinding[] {
  let depth = 0;
  for (const [token] of template.matchAll(/\{\{|\}\}/g)) {
    depth += token === "{{" ? 1 : -1;
    if (depth < 0 || depth > 1) return [finding([field], `unbalanced {{ }} in the Go template ${JSON.stringify(template)}`)];
  }
  return depth === 0 ? [] : [finding([field], `unclosed {{ in the Go template ${JSON.stringify(template)}`)];
}
