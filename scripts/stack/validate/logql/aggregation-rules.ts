/**
 * Metric queries: what Loki checks once its grammar has accepted a range aggregation
 * (`rate(…[5m])`), a vector aggregation (`sum by (x) (…)`), a binary operation or label_replace.
 * The grammar lets any function take a parameter, a grouping and an unwrap; Loki does not.
 */
import { problemAt, regexProblems, type Rule } from "./rule.ts";
import { findNode, textOf, withoutParentheses, type LogqlNode } from "./tree.ts";

/** Range aggregations over the values of an unwrapped label (`| unwrap latency`). */
const TAKES_UNWRAP = new Set([
  "rate",
  "rate_counter",
  "sum_over_time",
  "avg_over_time",
  "max_over_time",
  "min_over_time",
  "stddev_over_time",
  "stdvar_over_time",
  "quantile_over_time",
  "first_over_time",
  "last_over_time",
  "absent_over_time",
]);
/** Range aggregations over the log lines themselves. */
const WORKS_WITHOUT_UNWRAP = new Set(["rate", "count_over_time", "bytes_over_time", "bytes_rate", "absent_over_time"]);
/** Range aggregations that accept `by`/`without` after their argument. */
const TAKES_GROUPING = new Set([
  "avg_over_time",
  "max_over_time",
  "min_over_time",
  "stddev_over_time",
  "stdvar_over_time",
  "quantile_over_time",
  "first_over_time",
  "last_over_time",
]);
/** Vector aggregations whose first argument is k, the number of series to keep. */
const TAKES_K = new Set(["topk", "bottomk", "approx_topk"]);
const NO_GROUPING = new Set(["sort", "sort_desc", "approx_topk"]);
const SET_OPERATORS = new Set(["and", "or", "unless"]);

export const rangeAggregationIsConsistent: Rule = (aggregation, query) => {
  const operation = aggregationName(aggregation, "RangeOp", query);
  const parameter = aggregation.getChild("Number");
  const grouping = aggregation.getChild("Grouping");
  const logRange = aggregation.getChild("LogRangeExpr");
  const unwrapped = logRange ? findNode(logRange, "UnwrapExpr") !== undefined : false;
  const problems: string[] = [];
  if (operation === "quantile_over_time" && !parameter) problems.push("parameter required for operation quantile_over_time, e.g. quantile_over_time(0.99, …)");
  if (operation !== "quantile_over_time" && parameter) problems.push(`parameter ${textOf(parameter, query)} not supported for operation ${operation}`);
  if (grouping && !TAKES_GROUPING.has(operation)) problems.push(`grouping not allowed for ${operation} aggregation (group in an outer sum by (…) instead)`);
  if (unwrapped && !TAKES_UNWRAP.has(operation)) problems.push(`invalid aggregation ${operation} with unwrap`);
  if (!unwrapped && !WORKS_WITHOUT_UNWRAP.has(operation))
    problems.push(`invalid aggregation ${operation} without unwrap (add | unwrap <label> to the log range)`);
  return problems.map((message) => problemAt(aggregation, message));
};

export const vectorAggregationIsConsistent: Rule = (aggregation, query) => {
  const operation = aggregationName(aggregation, "VectorOp", query);
  const parameter = aggregation.getChild("Number");
  const grouping = aggregation.getChild("Grouping");
  const problems: string[] = [];
  if (TAKES_K.has(operation)) {
    const k = parameter ? textOf(parameter, query) : undefined;
    if (k === undefined) problems.push(`parameter required for operation ${operation}, e.g. ${operation}(10, …)`);
    else if (!/^[+-]?\d+$/.test(k)) problems.push(`invalid parameter ${operation}(${k}, …): k must be an integer`);
    else if (Number(k) <= 0) problems.push(`invalid parameter (must be greater than 0) ${operation}(${k}, …)`);
  } else if (parameter) problems.push(`unsupported parameter for operation ${operation}(${textOf(parameter, query)}, …)`);
  // `by ()` groups by nothing, which Loki lets through.
  if (grouping && NO_GROUPING.has(operation) && findNode(grouping, "Identifier")) problems.push(`grouping not allowed for ${operation} aggregation`);
  return problems.map((message) => problemAt(aggregation, message));
};

/** Both sides of `+`, `>`, `and`… are metric queries or numbers; a set operator takes no numbers. */
export const binaryOperandsAreMetrics: Rule = (operation, query) => {
  const operands = operation.getChildren("Expr");
  const operator = operands[0]?.nextSibling ? textOf(operands[0].nextSibling, query) : "?";
  return operands.flatMap((operand, index) => {
    const side = index === 0 ? "left" : "right";
    const inner = operand.firstChild;
    if (inner?.name === "LogExpr")
      return [problemAt(operand, `unexpected type for ${side} leg of binary operation (${operator}): a log query, where only metric queries and numbers can be combined`)];
    if (SET_OPERATORS.has(operator) && inner && isLiteral(inner))
      return [problemAt(operand, `unexpected literal for ${side} leg of logical/set binary operation (${operator}): ${textOf(operand, query)}`)];
    return [];
  });
};

/** label_replace(…, dst, replacement, src, regex): the regex is RE2. */
export const labelReplaceRegexIsRe2: Rule = (labelReplace, query) => {
  const regex = labelReplace.getChildren("String")[3];
  return regex ? regexProblems([regex], query, "invalid regex in label_replace: ") : [];
};

/** Lower-cased, as Loki's lexer reads function names (`SUM(…)` is `sum(…)`). */
function aggregationName(aggregation: LogqlNode, operatorNode: string, query: string): string {
  const operator = aggregation.getChild(operatorNode);
  return operator ? textOf(operator, query).toLowerCase() : "?";
}

function isLiteral(metric: LogqlNode): boolean {
  return metric.name === "MetricExpr" && withoutParentheses(metric).firstChild?.name === "LiteralExpr";
}
