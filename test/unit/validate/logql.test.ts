/**
 * The in-process LogQL checker (scripts/stack/validate/logql) against Loki: queries Loki rejects,
 * each with the error Loki gives (from its documentation and parser), must be rejected with a
 * message that names the same problem; queries of the kinds our dashboards and rules use must
 * pass. The golden bundles' own queries are checked in test/validate/expressions.test.ts.
 */
import { describe, expect, it } from "vitest";
import { checkLogql } from "../../../scripts/stack/validate/logql/check.ts";

interface Rejected {
  query: string;
  /** What Loki answers (parse errors abridged: its token names and expectation lists are left out). */
  loki: string;
  /** What our message must say. */
  ours: RegExp;
}

const EMPTY_COMPATIBLE = /at least one regexp or equality matcher that does not have an empty-compatible value/;

const REJECTED: readonly Rejected[] = [
  // The grammar.
  { query: '{app="api"', loki: "syntax error: unexpected $end", ours: /col 11: syntax error: unexpected end of query/ },
  { query: '{app="api"}[5m]', loki: "syntax error: unexpected RANGE", ours: /unexpected `\[`.*only valid inside a range aggregation/ },
  { query: 'sum({app="api"}[5m])', loki: "syntax error: unexpected RANGE", ours: /unexpected `\[`.*only valid inside a range aggregation/ },
  { query: 'sum by (level) ({app="api"} | json)', loki: "syntax error: unexpected )", ours: /unexpected `\)`.*sum aggregates a metric query .*not a log query/ },
  { query: 'count_over_time({app="api"})', loki: "syntax error: unexpected ), expecting [ or |", ours: /unexpected `\)`.*count_over_time needs a range/ },
  { query: 'sum(count_over_time({app="api"} |= "error"))', loki: "syntax error: unexpected ), expecting [ or |", ours: /count_over_time needs a range/ },
  { query: '{app="api"} | unwrap latency', loki: "syntax error: unexpected unwrap", ours: /unexpected `unwrap`.*only valid in the log range of a range aggregation/ },
  { query: "{app='api'}", loki: "invalid char literal", ours: /unexpected `'api'`.*LogQL strings are written "…" or `…`/ },
  { query: '{app="api"} |= "unterminated', loki: "literal not terminated", ours: /literal not terminated/ },
  { query: String.raw`{app="api"} |~ "\d+ ms"`, loki: "invalid char escape", ours: /col 16: invalid char escape `\\d`/ },
  // Selectors.
  { query: '{app=~".*"}', loki: 'queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will', ours: EMPTY_COMPATIBLE },
  { query: '{app=""}', loki: "queries require at least one regexp or equality matcher that does not have an empty-compatible value", ours: EMPTY_COMPATIBLE },
  { query: '{app=~".*", env!~"prod"}', loki: "queries require at least one regexp or equality matcher that does not have an empty-compatible value", ours: EMPTY_COMPATIBLE },
  { query: 'sum(rate({app=~"a*|b?"} |= "x" [5m]))', loki: "queries require at least one regexp or equality matcher that does not have an empty-compatible value", ours: /col 10: queries require at least one regexp/ },
  // Range aggregations.
  { query: 'sum_over_time({app="api"}[5m])', loki: "invalid aggregation sum_over_time without unwrap", ours: /invalid aggregation sum_over_time without unwrap/ },
  { query: 'avg_over_time({app="api"} | json [5m])', loki: "invalid aggregation avg_over_time without unwrap", ours: /invalid aggregation avg_over_time without unwrap/ },
  { query: 'rate_counter({app="api"}[5m])', loki: "invalid aggregation rate_counter without unwrap", ours: /invalid aggregation rate_counter without unwrap/ },
  { query: 'count_over_time({app="api"} | unwrap latency [5m])', loki: "invalid aggregation count_over_time with unwrap", ours: /invalid aggregation count_over_time with unwrap/ },
  { query: 'bytes_rate({app="api"} | unwrap bytes [1m])', loki: "invalid aggregation bytes_rate with unwrap", ours: /invalid aggregation bytes_rate with unwrap/ },
  { query: 'quantile_over_time({app="api"} | unwrap latency [5m])', loki: "parameter required for operation quantile_over_time", ours: /parameter required for operation quantile_over_time/ },
  { query: 'rate(0.99, {app="api"}[5m])', loki: "parameter 0.99 not supported for operation rate", ours: /parameter 0\.99 not supported for operation rate/ },
  { query: 'count_over_time({app="api"}[5m]) by (level)', loki: "grouping not allowed for count_over_time aggregation", ours: /grouping not allowed for count_over_time aggregation/ },
  { query: 'sum_over_time({app="api"} | unwrap bytes [5m]) by (level)', loki: "grouping not allowed for sum_over_time aggregation", ours: /grouping not allowed for sum_over_time aggregation/ },
  // Vector aggregations and binary operations.
  { query: 'topk(sum by (app) (rate({app="api"}[5m])))', loki: "parameter required for operation topk", ours: /parameter required for operation topk/ },
  { query: 'bottomk(2.5, rate({app="api"}[5m]))', loki: "invalid parameter bottomk(2.5,", ours: /invalid parameter bottomk\(2\.5, …\): k must be an integer/ },
  { query: 'topk(0, rate({app="api"}[5m]))', loki: "invalid parameter (must be greater than 0) topk(0", ours: /invalid parameter \(must be greater than 0\) topk\(0/ },
  { query: 'sum(5, rate({app="api"}[5m]))', loki: "unsupported parameter for operation sum(5,", ours: /unsupported parameter for operation sum\(5/ },
  { query: 'sort by (app) (rate({app="api"}[5m]))', loki: "sort and sort_desc doesn't allow grouping by", ours: /grouping not allowed for sort aggregation/ },
  { query: '{app="api"} + 1', loki: "unexpected type for left leg of binary operation (+): *syntax.MatchersExpr", ours: /unexpected type for left leg of binary operation \(\+\): a log query/ },
  { query: 'rate({app="api"}[5m]) > {app="api"} |= "x"', loki: "unexpected type for right leg of binary operation (>): *syntax.PipelineExpr", ours: /unexpected type for right leg of binary operation \(>\): a log query/ },
  { query: 'rate({app="api"}[5m]) and 1', loki: "unexpected literal for right leg of logical/set binary operation (and): 1.000000", ours: /unexpected literal for right leg of logical\/set binary operation \(and\): 1/ },
  // Regular expressions (RE2) and the stages that compile them.
  { query: '{app="api"} |~ "error(?=:)"', loki: "error parsing regexp: invalid or unsupported Perl syntax: `(?=`", ours: /invalid or unsupported Perl syntax: `\(\?=` \(RE2 has no lookahead\)/ },
  { query: '{app="api"} | level=~"(?i)err(?!or)"', loki: "error parsing regexp: invalid or unsupported Perl syntax: `(?!`", ours: /col 22: .*invalid or unsupported Perl syntax: `\(\?!`/ },
  { query: '{app="api"} |~ "(?<=user=)\\\\w+"', loki: "error parsing regexp: invalid named capture: `(?<=user=)\\w+`", ours: /`\(\?<=` \(RE2 has no lookbehind\)/ },
  { query: '{app="api"} |~ "(\\\\w+) \\\\1"', loki: "error parsing regexp: invalid escape sequence: `\\1`", ours: /invalid escape sequence: `\\1` \(RE2 has no backreferences\)/ },
  { query: '{app=~"a++"}', loki: "error parsing regexp: invalid nested repetition operator: `++`", ours: /invalid nested repetition operator: `\+\+` \(RE2 has no possessive repeats\)/ },
  { query: '{app="api"} |~ "[z-a]"', loki: "error parsing regexp: invalid character class range: `z-a`", ours: /invalid character class range: `z-a`/ },
  { query: '{app="api"} |~ "\\\\Z"', loki: "error parsing regexp: invalid escape sequence: `\\Z`", ours: /invalid escape sequence: `\\Z`/ },
  { query: '{app="api"} | regexp "(\\\\d+) ms"', loki: "invalid regexp parser: at least one named capture must be supplied", ours: /invalid regexp parser: at least one named capture must be supplied/ },
  { query: '{app="api"} | pattern "<_> - <_>"', loki: "invalid pattern parser: at least one capture is required", ours: /invalid pattern parser: at least one capture is required/ },
  { query: '{app="api"} | pattern "<ip><port>"', loki: "invalid pattern parser: found consecutive capture: invalid expression", ours: /invalid pattern parser: found consecutive capture/ },
  { query: '{app="api"} | label_format level=lvl, level="x"', loki: "multiple label name 'level' not allowed in a single format operation", ours: /multiple label name 'level' not allowed/ },
  { query: 'label_replace(rate({app="api"}[5m]), "dst", "$1", "src", "(.*")', loki: "invalid regex in label_replace: error parsing regexp: missing closing ): `^(?:(.*)$`", ours: /invalid regex in label_replace: error parsing regexp: missing closing \)/ },
];

const ACCEPTED: readonly string[] = [
  // Log queries: line filters, parsers, label filters, formatting.
  '{service=~".+", level=~"error|fatal|critical"} |~ "(?i).+"',
  '{app="api"} |= "error" != "timeout"',
  '{app="api"} |= "a" or "b"',
  '{app!=""}',
  '{app="api"} |~ `\\d{3} ms`',
  '{app="api"} | json | level="error"',
  '{app="api"} | json | status=~"5.."',
  '{app="api"} | logfmt | duration > 10s',
  '{app="api"} | logfmt --strict | status >= 500',
  '{app="api"} | json | line_format "{{.msg}}"',
  '{app="api"} | json | __error__="" | level=~"warn|error" | line_format "{{ .msg | trunc 80 }}"',
  '{app="api"} | label_format normalized=`{{ regexReplaceAll "[0-9]+" __line__ "N" | trunc 120 }}`',
  '{app="api"} | json | keep level, msg | drop __error__, __error_details__',
  '{app="api"} | regexp "(?P<method>\\\\w+) (?P<path>\\\\S+)"',
  '{app="api"} | pattern "<ip> - <_> [<ts>] \\"<method> <path> <_>\\""',
  '{app="api"} # a trailing comment',
  // Metric queries, as dashboards send them once Grafana has replaced $__auto and friends.
  'sum by (level) (count_over_time({service=~".+", level=~".+"} |~ "(?i).+" [5m]))',
  'topk(10, sum by (service, normalized) (count_over_time({service=~".+"} | label_format normalized=`{{ __line__ | trunc 120 }}` [5m])))',
  'sum by (service) (bytes_over_time({service=~".+", level=~".+"} [5m]))',
  'sum(rate({app="api"} |= "error" [5m])) by (app)',
  'sum without (pod) (bytes_rate({app="api"}[5m]))',
  'sum_over_time({app="api"} | logfmt | unwrap bytes | __error__="" [5m])',
  'avg_over_time({app="api"} | json | unwrap duration(latency) | __error__="" [5m]) by (route)',
  'quantile_over_time(0.99, {app="api"} | json | unwrap latency_ms | __error__="" [5m]) by (route)',
  'rate({app="api"} | json | unwrap bytes(size) | __error__="" [1m])',
  'absent_over_time({app="api"}[10m])',
  'sum(rate({app="api"}[5m])) / sum(rate({app="api"} |= "error" [5m]))',
  'sum(count_over_time({app="api"}[5m] offset 1h))',
  'count_over_time({app="api"}[5m]) > bool 10',
  'sum(rate({app="api"}[5m])) > 0 or vector(0)',
  '-1 * sum(rate({app="api"}[5m]))',
  'label_replace(sum by (app) (rate({app="api"}[5m])), "svc", "$1", "app", "(.*)-api")',
];

describe("LogQL that Loki rejects is rejected, naming the problem", () => {
  it.for(REJECTED)("$query  (Loki: $loki)", ({ query, ours }) => {
    const error = checkLogql(query);
    expect(error).toMatch(/^parse error at line \d+, col \d+: /);
    expect(error).toMatch(ours);
  });

  it("reports every problem of a query that has several, in the order they stand", () => {
    expect(checkLogql('sum_over_time({app=~".*"}[5m])')).toMatch(/^parse error at line 1, col 1: invalid aggregation sum_over_time without unwrap.*; parse error at line 1, col 15: queries require/);
  });

  it("counts lines and columns like Loki", () => {
    expect(checkLogql('sum(\n  rate({app="api"}[5m])\n) by')).toMatch(/^parse error at line 3, col 5: syntax error: unexpected end of query/);
  });

  it("refuses a query longer than Loki accepts", () => {
    expect(checkLogql(`{app="${"a".repeat(5120)}"}`)).toMatch(/input size too long \(5128 > 5120\)/);
  });
});

describe("LogQL of the kinds our dashboards and rules use passes", () => {
  it.for(ACCEPTED)("%s", (query) => {
    expect(checkLogql(query)).toBeUndefined();
  });
});
