/** What every LogQL rule is, and the reading of string and regex arguments they share. */
import type { LogqlProblem } from "./problem.ts";
import { parseRe2, type Re2Summary } from "../../syntax/re2.ts";
import { decodeStringLiteral } from "./string-literal.ts";
import { textOf, type LogqlNode } from "./tree.ts";

/** A check on one kind of node; returns what is wrong with this one. */
export type Rule = (node: LogqlNode, query: string) => LogqlProblem[];

export function problemAt(node: LogqlNode, message: string): LogqlProblem {
  return { at: node.from, message };
}

/** A String node's value; undefined when it does not decode (the string rule reports that). */
export function stringValue(node: LogqlNode, query: string): string | undefined {
  const literal = decodeStringLiteral(textOf(node, query));
  return "value" in literal ? literal.value : undefined;
}

/**
 * A String node read as RE2: the summary, or the problem (its message after `context`, the way
 * Loki prefixes the error of the stage that compiles it). Neither when the string does not decode.
 */
export function readRegex(node: LogqlNode, query: string, context = ""): { summary: Re2Summary } | { problem: LogqlProblem } | undefined {
  const pattern = stringValue(node, query);
  if (pattern === undefined) return undefined;
  const parsed = parseRe2(pattern);
  return "error" in parsed ? { problem: problemAt(node, `${context}${parsed.error}`) } : { summary: parsed };
}

export function regexProblems(nodes: readonly LogqlNode[], query: string, context = ""): LogqlProblem[] {
  return nodes.flatMap((node) => {
    const read = readRegex(node, query, context);
    return read && "problem" in read ? [read.problem] : [];
  });
}

/** A String node's decoding problem, if any. */
export const stringRule: Rule = (node, query) => {
  const literal = decodeStringLiteral(textOf(node, query));
  return "error" in literal ? [problemAt(node, literal.error)] : [];
};
