/**
 * Label matchers (`label op "value"`), as the SLI's error matcher and alert routes write them: read
 * the way Alertmanager reads them, and checked the way Prometheus and Alertmanager compile them.
 */
import { re2SyntaxError } from "./re2.ts";

export interface LabelMatcher {
  label: string;
  op: string;
  /** Unescaped: what the component compares the label with (for =~ and !~, the regex). */
  value: string;
}

const MATCHER = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^]*)$/;

export const isRegexMatcher = (matcher: LabelMatcher): boolean => matcher.op === "=~" || matcher.op === "!~";

/**
 * The matcher, or why Alertmanager or Prometheus would refuse it. The quoted value is unescaped as
 * Alertmanager's classic parser does (its answer wins whenever its newer parser disagrees): `\"`,
 * `\\` and `\n` are escapes, any other backslash stays a backslash, and a bare `"` is an error.
 */
export function readMatcher(text: string): LabelMatcher | { problem: string } {
  const match = MATCHER.exec(text);
  if (!match) return { problem: 'must be a label matcher such as team="payments" or code=~"5.." (label, then =, !=, =~ or !~, then a double-quoted value)' };
  const value = unescape(match[3]!);
  if (value === undefined) return { problem: 'must end its value with a closing " and escape every " inside it as \\"' };
  const matcher = { label: match[1]!, op: match[2]!, value };
  const regexError = isRegexMatcher(matcher) ? re2SyntaxError(value) : undefined;
  return regexError ? { problem: `has a value that is not a valid RE2 regex (${regexError})` } : matcher;
}

/** For matchers the schema has accepted. */
export function parseMatcher(text: string): LabelMatcher {
  const matcher = readMatcher(text);
  if ("problem" in matcher) throw new Error(`not a label matcher: ${text}`);
  return matcher;
}

/** `quoted` is what follows the opening quote: it must end with the closing quote and hold no other bare one. */
function unescape(quoted: string): string | undefined {
  let value = "";
  let closed = false;
  for (let i = 0; i < quoted.length; i++) {
    const char = quoted[i]!;
    if (char === "\\" && i < quoted.length - 1) {
      const next = quoted[++i]!;
      value += next === "n" ? "\n" : next === '"' || next === "\\" ? next : `\\${next}`;
    } else if (char === '"') {
      if (i < quoted.length - 1) return undefined;
      closed = true;
    } else value += char;
  }
  return closed ? value : undefined;
}
