/**
 * The rules Loki applies to a query its grammar accepts, before it runs it: each kind of syntax
 * node and the rule that checks it. Every node is checked and every problem reported, in the
 * order they stand in the query.
 */
import { binaryOperandsAreMetrics, labelReplaceRegexIsRe2, rangeAggregationIsConsistent, vectorAggregationIsConsistent } from "./aggregation-rules.ts";
import { labelFormatSetsEachLabelOnce, labelParserExtractsLabels, lineFilterRegexIsRe2 } from "./pipeline-rules.ts";
import type { LogqlProblem } from "./problem.ts";
import { stringRule, type Rule } from "./rule.ts";
import { matcherRegexIsRe2, selectorNeedsNonEmptyMatcher } from "./selector-rules.ts";
import { allNodes, type LogqlNode } from "./tree.ts";

const RULES: ReadonlyMap<string, Rule> = new Map([
  ["String", stringRule],
  ["Selector", selectorNeedsNonEmptyMatcher],
  ["Matcher", matcherRegexIsRe2],
  ["LineFilter", lineFilterRegexIsRe2],
  ["LabelParser", labelParserExtractsLabels],
  ["LabelFormatExpr", labelFormatSetsEachLabelOnce],
  ["RangeAggregationExpr", rangeAggregationIsConsistent],
  ["VectorAggregationExpr", vectorAggregationIsConsistent],
  ["BinOpExpr", binaryOperandsAreMetrics],
  ["LabelReplaceExpr", labelReplaceRegexIsRe2],
]);

export function semanticProblems(root: LogqlNode, query: string): LogqlProblem[] {
  return allNodes(root).flatMap((node) => RULES.get(node.name)?.(node, query) ?? []);
}
