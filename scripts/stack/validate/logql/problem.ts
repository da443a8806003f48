/** One thing wrong with a LogQL query, and how it is printed. */

export interface LogqlProblem {
  /** Offset into the query where the problem starts. */
  at: number;
  message: string;
}

/** Loki's own shape, `parse error at line 1, col 8: …`, so our messages read like its query API's. */
export function formatProblem(query: string, { at, message }: LogqlProblem): string {
  const before = query.slice(0, at);
  const line = before.split("\n").length;
  const column = at - before.lastIndexOf("\n");
  return `parse error at line ${line}, col ${column}: ${message}`;
}
