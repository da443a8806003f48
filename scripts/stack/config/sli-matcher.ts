/**
 * Label matchers evaluated in JavaScript: the SLI's error matcher is probed with typical failure and
 * success values so the generated SLO unit tests can build one failing and one healthy request, and
 * alert routes are resolved for the route tests.
 */
import { isRegexMatcher, type LabelMatcher } from "../syntax/label-matcher.ts";
import { re2AsJsRegExp } from "../syntax/re2.ts";

const FAILURE_VALUES = ["500", "503", "5xx", "error", "ERROR", "failure", "fail", "true", "STATUS_CODE_ERROR"];
const SUCCESS_VALUES = ["200", "ok", "OK", "success", "false"];

/** Whether JavaScript can evaluate the matcher as Prometheus and Alertmanager do (see re2AsJsRegExp). */
export function isEvaluable(matcher: LabelMatcher): boolean {
  return !isRegexMatcher(matcher) || re2AsJsRegExp(matcher.value, { anchored: true }) !== undefined;
}

/** Whether a label value satisfies the matcher, with the components' fully anchored regexes; undefined when JavaScript cannot tell. */
export function matches(matcher: LabelMatcher, value: string): boolean | undefined {
  switch (matcher.op) {
    case "=":
      return value === matcher.value;
    case "!=":
      return value !== matcher.value;
    default: {
      const found = re2AsJsRegExp(matcher.value, { anchored: true })?.test(value);
      return found === undefined ? undefined : found === (matcher.op === "=~");
    }
  }
}

/** A value the matcher selects (a failure) and one it does not (a success), if there are such. */
export function sampleValues(matcher: LabelMatcher): { errorValue: string; okValue: string } | undefined {
  const errorValue = FAILURE_VALUES.find((value) => matches(matcher, value) === true);
  const okValue = SUCCESS_VALUES.find((value) => matches(matcher, value) === false);
  return errorValue && okValue ? { errorValue, okValue } : undefined;
}
