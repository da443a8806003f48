/**
 * Log pipeline stages whose arguments Loki compiles: regex line filters, the `regexp` and
 * `pattern` parsers, and `label_format`. (Go templates in `line_format`/`label_format` and JSON
 * paths in `| json a="…"` are not checked.)
 */
import { problemAt, readRegex, regexProblems, stringValue, type Rule } from "./rule.ts";
import { allNodes, textOf } from "./tree.ts";

const LABEL_NAME = /^[A-Za-z_]\w*$/;

/** `|~ "a" or "b"` and `!~ "a"`: every alternative is a regex. */
export const lineFilterRegexIsRe2: Rule = (lineFilter, query) => {
  const filter = lineFilter.getChild("Filter");
  const isRegex = filter?.getChild("PipeMatch") ?? filter?.getChild("Nre");
  return isRegex ? regexProblems(allNodes(lineFilter).filter((node) => node.name === "String"), query) : [];
};

/** `| regexp "…"` and `| pattern "…"` must each extract at least one label, under a valid and unique name. */
export const labelParserExtractsLabels: Rule = (labelParser, query) => {
  const argument = labelParser.getChild("String");
  if (!argument) return [];
  if (labelParser.getChild("Regexp")) {
    const regex = readRegex(argument, query, "invalid regexp parser: ");
    if (!regex) return [];
    if ("problem" in regex) return [regex.problem];
    const problem = regexpCaptureProblem(regex.summary.captures.filter(Boolean));
    return problem ? [problemAt(argument, `invalid regexp parser: ${problem}`)] : [];
  }
  if (labelParser.getChild("Pattern")) {
    const pattern = stringValue(argument, query);
    const problem = pattern === undefined ? undefined : patternProblem(pattern);
    return problem ? [problemAt(argument, `invalid pattern parser: ${problem}`)] : [];
  }
  return [];
};

function regexpCaptureProblem(names: readonly string[]): string | undefined {
  if (names.length === 0) return "at least one named capture must be supplied, e.g. (?P<status>\\d+)";
  const invalid = names.find((name) => !LABEL_NAME.test(name));
  if (invalid) return `invalid extracted label name '${invalid}'`;
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  return duplicate ? `duplicate extracted label name '${duplicate}'` : undefined;
}

/** Loki's pattern syntax: `<name>` captures, `<_>` skips, everything else is literal text. */
const CAPTURE = /<([A-Za-z_]\w*)>/g;

function patternProblem(pattern: string): string | undefined {
  const captures = [...pattern.matchAll(CAPTURE)];
  const names = captures.map((capture) => capture[1]!).filter((name) => name !== "_");
  if (names.length === 0) return "at least one capture is required, e.g. <status>";
  // With nothing between two captures there is no telling where the first one ends.
  const adjacent = captures.find((capture, index) => index > 0 && captures[index - 1]!.index! + captures[index - 1]![0].length === capture.index);
  if (adjacent) return `found consecutive capture ${adjacent[0]}: invalid expression`;
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  return duplicate ? `duplicate capture name (${duplicate}): invalid expression` : undefined;
}

/** One `label_format` stage may set or rename each label once. */
export const labelFormatSetsEachLabelOnce: Rule = (labelFormat, query) => {
  const targets = allNodes(labelFormat)
    .filter((node) => node.name === "LabelFormatMatcher")
    .map((matcher) => matcher.getChild("Identifier")!);
  return targets
    .filter((target, index) => targets.findIndex((other) => textOf(other, query) === textOf(target, query)) !== index)
    .map((target) => problemAt(target, `multiple label name '${textOf(target, query)}' not allowed in a single format operation`));
};
