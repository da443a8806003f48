/**
 * The LogQL check every rule and dashboard expression goes through, in process: the grammar
 * (parse.ts), then the rules Loki enforces beyond it (semantics.ts). A query passes when both
 * find nothing; otherwise each problem is reported with its position.
 */
import { parseLogql } from "./parse.ts";
import { formatProblem, type LogqlProblem } from "./problem.ts";
import { semanticProblems } from "./semantics.ts";

/** Loki refuses longer queries outright. */
const MAX_QUERY_LENGTH = 5120;

function logqlProblems(query: string): LogqlProblem[] {
  if (query.length >= MAX_QUERY_LENGTH) return [{ at: 0, message: `input size too long (${query.length} > ${MAX_QUERY_LENGTH})` }];
  const { root, syntaxProblem } = parseLogql(query);
  // After a syntax error the tree is lezer's guess at what was meant; rules on it would mislead.
  if (syntaxProblem) return [syntaxProblem];
  return semanticProblems(root, query);
}

/** The query's problems as one message, or undefined when Loki would accept it. */
export function checkLogql(query: string): string | undefined {
  const problems = logqlProblems(query);
  return problems.length === 0 ? undefined : problems.map((problem) => formatProblem(query, problem)).join("; ");
}
