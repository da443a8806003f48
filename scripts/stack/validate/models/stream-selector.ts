/**
 * LogQL stream selectors as Loki's retention rules and the log agents' match stages take them:
 * `{label="value", other=~"re.*"}`. Label names follow Prometheus's classic rule, values are Go
 * string literals (double-quoted or backquoted), regex values must compile as RE2.
 */
import { re2SyntaxError } from "../../syntax/re2.ts";

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)\s*/;

/** Why the text is not a stream selector, or undefined when it is. `rest` is what follows `}`. */
export function streamSelectorProblem(text: string, options: { allowPipeline: boolean }): string | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return `${JSON.stringify(text)} is not a stream selector: it must start with "{"`;
  let rest = trimmed.slice(1);
  let matchers = 0;
  for (;;) {
    if (/^\s*\}/.test(rest) && matchers > 0) break;
    const match = MATCHER.exec(rest);
    if (!match) return `${JSON.stringify(text)} is not a stream selector: expected label="value" at ${JSON.stringify(rest.slice(0, 20))}`;
    const [whole, , operator, quoted] = match;
    const value = stringValue(quoted!);
    if (value === undefined) return `${JSON.stringify(text)} has an invalid string literal ${quoted}`;
    if (operator === "=~" || operator === "!~") {
      const problem = re2SyntaxError(value);
      if (problem) return `${JSON.stringify(text)}: regex matcher ${problem}`;
    }
    matchers++;
    rest = rest.slice(whole!.length);
    if (rest.startsWith(",")) rest = rest.slice(1);
    else if (!rest.startsWith("}")) return `${JSON.stringify(text)} is not a stream selector: expected "," or "}" at ${JSON.stringify(rest.slice(0, 20))}`;
  }
  const after = rest.replace(/^\s*\}/, "").trim();
  if (after === "") return undefined;
  // Line filters may follow in match stages; their syntax is the LogQL parser's to judge, not this model's.
  if (options.allowPipeline && /^(\|=|!=|\|~|!~|\|)/.test(after)) return undefined;
  return `${JSON.stringify(text)}: unexpected ${JSON.stringify(after.slice(0, 20))} after the selector`;
}

function stringValue(quoted: string): string | undefined {
  if (quoted.startsWith("`")) return quoted.slice(1, -1);
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return undefined;
  }
}
