/**
 * The SLI's error matcher (`label op "value"`): parsed, and probed with typical failure and success
 * values so the generated SLO unit tests can build one failing and one healthy request.
 */
export interface LabelMatcher {
  label: string;
  op: string;
  value: string;
}

const FAILURE_VALUES = ["500", "503", "5xx", "error", "ERROR", "failure", "fail", "true", "STATUS_CODE_ERROR"];
const SUCCESS_VALUES = ["200", "ok", "OK", "success", "false"];

export function parseMatcher(matcher: string): LabelMatcher {
  const match = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"(.*)"$/.exec(matcher);
  if (!match) throw new Error(`not a label matcher: ${matcher}`);
  return { label: match[1]!, op: match[2]!, value: match[3]! };
}

/** Whether a label value satisfies the matcher, with Alertmanager's and Prometheus's fully anchored regexes. */
export function matches(matcher: LabelMatcher, value: string): boolean {
  const regex = () => new RegExp(`^(?:${matcher.value})$`);
  switch (matcher.op) {
    case "=":
      return value === matcher.value;
    case "!=":
      return value !== matcher.value;
    case "=~":
      return regex().test(value);
    default:
      return !regex().test(value);
  }
}

/** A value the matcher selects (a failure) and one it does not (a success), if there are such. */
export function sampleValues(matcher: LabelMatcher): { errorValue: string; okValue: string } | undefined {
  const errorValue = FAILURE_VALUES.find((value) => matches(matcher, value));
  const okValue = SUCCESS_VALUES.find((value) => !matches(matcher, value));
  return errorValue && okValue ? { errorValue, okValue } : undefined;
}
