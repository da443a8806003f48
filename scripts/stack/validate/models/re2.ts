/**
 * RE2 syntax (Go's regexp/syntax) for the models: Loki, Promtail, Alloy and Prometheus relabelling
 * compile their regexes with Go, which rejects lookaround, backreferences and more that JavaScript
 * accepts. One reader of that syntax serves LogQL and the models alike (validate/logql/re2.ts).
 */
import { parseRe2 } from "../logql/re2.ts";

/** Why Go would refuse the pattern, or undefined when it compiles. */
export function re2SyntaxError(pattern: string): string | undefined {
  const parsed = parseRe2(pattern);
  return "error" in parsed ? parsed.error : undefined;
}
