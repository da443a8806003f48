/**
 * Prometheus relabelling rules, as Promtail's `relabel_configs` and Alloy's `rule` blocks both take
 * them (same field names): the actions, and which fields each action needs or forbids.
 */
import { finding, type ModelFinding } from "./findings.ts";
import { re2SyntaxError } from "../../syntax/re2.ts";

const RELABEL_ACTIONS = ["replace", "keep", "drop", "hashmod", "labelmap", "labeldrop", "labelkeep", "lowercase", "uppercase", "keepequal", "dropequal"] as const;

export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface RelabelRule {
  action?: string | undefined;
  source_labels?: readonly string[] | undefined;
  separator?: string | undefined;
  target_label?: string | undefined;
  regex?: string | undefined;
  modulus?: number | undefined;
  replacement?: string | undefined;
}

const NEEDS_TARGET = new Set(["replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"]);

/** Problems of one rule, with paths relative to the rule. */
export function relabelRuleProblems(rule: RelabelRule): ModelFinding[] {
  const action = rule.action ?? "replace";
  const findings: ModelFinding[] = [];
  if (!(RELABEL_ACTIONS as readonly string[]).includes(action))
    return [finding(["action"], `unknown relabel action ${JSON.stringify(action)}`, `use one of ${RELABEL_ACTIONS.join(", ")}`)];
  if (rule.regex !== undefined) {
    const problem = re2SyntaxError(rule.regex);
    if (problem) findings.push(finding(["regex"], `not a valid RE2 regex: ${problem}`));
  }
  rule.source_labels?.forEach((label, index) => {
    if (!LABEL_NAME.test(label)) findings.push(finding(["source_labels", index], `${JSON.stringify(label)} is not a label name`));
  });
  if (NEEDS_TARGET.has(action) && !rule.target_label) findings.push(finding(["target_label"], `is required by the ${action} action`));
  // A replace target may be built from capture groups (`$1`), which only resolve at run time.
  const templated = action === "replace" && rule.target_label?.includes("$");
  if (rule.target_label && !templated && !LABEL_NAME.test(rule.target_label))
    findings.push(finding(["target_label"], `${JSON.stringify(rule.target_label)} is not a label name`));
  if (action === "hashmod" && !rule.modulus) findings.push(finding(["modulus"], "is required (non-zero) by the hashmod action"));
  const onlyAllowed = (allowed: readonly (keyof RelabelRule)[]) => {
    for (const key of Object.keys(rule) as (keyof RelabelRule)[])
      if (key !== "action" && rule[key] !== undefined && !allowed.includes(key)) findings.push(finding([key], `is not allowed with the ${action} action (it takes only ${allowed.join(" and ")})`));
  };
  if (action === "labeldrop" || action === "labelkeep") onlyAllowed(["regex"]);
  if (action === "keepequal" || action === "dropequal") onlyAllowed(["source_labels", "target_label"]);
  return findings;
}
