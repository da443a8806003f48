/**
 * Stream selectors and label matchers. Loki refuses a selector that would select every stream
 * (each of its matchers also accepts a missing label, i.e. the empty value), and compiles the
 * regex of every `=~`/`!~` matcher, in the selector and in label filters alike, as RE2.
 */
import { regexProblems, problemAt, readRegex, stringValue, type Rule } from "./rule.ts";
import { allNodes, type LogqlNode } from "./tree.ts";

/** Loki's own message, word for word, so it can be searched for. */
const NEEDS_NON_EMPTY_MATCHER =
  'queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will';

export const selectorNeedsNonEmptyMatcher: Rule = (selector, query) => {
  const matchers = allNodes(selector).filter((node) => node.name === "Matcher");
  return matchers.every((matcher) => matchesEmptyValue(matcher, query)) ? [problemAt(selector, NEEDS_NON_EMPTY_MATCHER)] : [];
};

/**
 * Whether the matcher also accepts "" (an absent label). A value or regex that does not read is
 * reported by its own rule; it counts as selective here so that it is not reported twice.
 */
function matchesEmptyValue(matcher: LogqlNode, query: string): boolean {
  const operator = matcher.getChild("Identifier")?.nextSibling?.name;
  const value = matcher.getChild("String");
  if (!value) return false;
  if (operator === "Eq" || operator === "Neq") {
    const text = stringValue(value, query);
    if (text === undefined) return false;
    return operator === "Eq" ? text === "" : text !== "";
  }
  const regex = readRegex(value, query);
  if (!regex || "problem" in regex) return false;
  return operator === "Re" ? regex.summary.matchesEmpty : !regex.summary.matchesEmpty;
}

export const matcherRegexIsRe2: Rule = (matcher, query) => {
  const isRegex = matcher.getChild("Re") ?? matcher.getChild("Nre");
  const value = matcher.getChild("String");
  return isRegex && value ? regexProblems([value], query) : [];
};
