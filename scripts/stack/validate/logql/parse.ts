/**
 * LogQL's grammar, through @grafana/lezer-logql (the grammar of Grafana's Loki query editor,
 * derived from Loki's own). Lezer never throws: it recovers and marks what it had to skip or
 * could not find with error nodes (`⚠`), so a query is well-formed exactly when its tree has
 * none. Like Loki, we report the first one only (later ones are usually its echo), phrased like
 * Loki's `syntax error: unexpected …`, and name the likely cause for the mistakes a dashboard
 * author makes most.
 */
import type { LogqlProblem } from "./problem.ts";
import { findNode, parseTree, textOf, type LogqlNode } from "./tree.ts";

export interface ParsedLogql {
  root: LogqlNode;
  syntaxProblem?: LogqlProblem;
}

export function parseLogql(query: string): ParsedLogql {
  const root = parseTree(query);
  let firstError: LogqlNode | undefined;
  root.cursor().iterate((ref) => {
    if (firstError) return false;
    if (ref.type.isError) firstError = ref.node;
    return undefined;
  });
  if (!firstError) return { root };
  const token = unexpectedToken(query, firstError.from);
  const cause = likelyCause(firstError, token.text, query);
  const unexpected = token.text === "" ? "end of query" : `\`${token.text}\``;
  return { root, syntaxProblem: { at: token.at, message: `syntax error: unexpected ${unexpected}${cause ? ` (${cause})` : ""}` } };
}

/** One token: a word, a number or duration, a string, a two-character operator, or one character. */
const TOKEN = /^(?:[A-Za-z_][\w:]*|\d[\w.]*|"(?:[^"\\\n]|\\.)*"?|`[^`]*`?|'(?:[^'\\\n]|\\.)*'?|[|!=<>]~?=?|\S)/;

/** The token at `from`: an error node may start on the whitespace before it, or be empty. */
function unexpectedToken(query: string, from: number): { at: number; text: string } {
  const rest = query.slice(from);
  const at = from + (rest.length - rest.trimStart().length);
  return { at, text: TOKEN.exec(query.slice(at))?.[0] ?? "" };
}

function likelyCause(error: LogqlNode, token: string, query: string): string | undefined {
  // Go's scanner reads '…' as a one-character rune literal, which LogQL has no use for.
  if (token.startsWith("'")) return "LogQL strings are written \"…\" or `…`";
  if (/^["`]/.test(token) && (token.length === 1 || !token.endsWith(token[0]!))) return "literal not terminated";
  if (token.startsWith("[") && error.parent?.name === "LogExpr")
    return "a log range such as {…}[5m] is only valid inside a range aggregation such as count_over_time() or rate()";
  if (token === "unwrap") return "unwrap is only valid in the log range of a range aggregation, e.g. sum_over_time({…} | unwrap bytes [5m])";
  if (error.parent?.name === "LogRangeExpr" && !findNode(error.parent, "Range")) {
    const rangeOp = error.parent.parent?.getChild("RangeOp");
    const name = rangeOp ? textOf(rangeOp, query) : "a range aggregation";
    return `${name} needs a range: add one such as [5m] after the selector or pipeline`;
  }
  const vectorOp = logQueryAfterVectorOp(error);
  if (vectorOp) return `${textOf(vectorOp, query)} aggregates a metric query such as count_over_time({…}[5m]), not a log query`;
  return undefined;
}

/**
 * `sum({…})`: the grammar gives up at the `)` and leaves the aggregation's operator, then the log
 * query, as siblings before the error. Returns that operator.
 */
function logQueryAfterVectorOp(error: LogqlNode): LogqlNode | undefined {
  const previous = error.prevSibling;
  if (previous?.name !== "Expr" || previous.firstChild?.name !== "LogExpr") return undefined;
  for (let sibling = previous.prevSibling; sibling; sibling = sibling.prevSibling) if (sibling.name === "VectorOp") return sibling;
  return undefined;
}
