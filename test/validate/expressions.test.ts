/**
 * Every PromQL and LogQL expression in every golden bundle (rule files and dashboards) parses:
 * PromQL with the pinned promtool, LogQL with our in-process checker (validate/logql); and both
 * reject broken ones. promtool comes from the pinned build cache (`npm run tools`) or PATH; when it
 * is missing the PromQL tests are skipped locally, but fail under CI=true. LogQL needs nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { renderBundle, type Bundle } from "../../scripts/stack/bundle/bundle.ts";
import { localExpressionParsers, logqlParser, type LocalExpressionParsers, type ParseBatch } from "../../scripts/stack/validate/expression-parsers.ts";
import { checkExpressions, collectExpressions, formatFailure } from "../../scripts/stack/validate/expressions.ts";
import { declaredVariables, substituteVariables } from "../../scripts/stack/validate/grafana-variables.ts";
import { GOLDEN_CONFIG_NAMES, loadGoldenModel } from "../helpers/golden-configs.ts";

const IN_CI = process.env.CI === "true";

/** promtool's parser, or undefined after skipping (throws under CI=true). */
function promqlOrSkip(local: LocalExpressionParsers, skip: (note: string) => void): ParseBatch | undefined {
  if (!("missing" in local)) return local.parsers.promql;
  if (IN_CI) throw new Error(`CI=true requires the expression parsers: ${local.missing}`);
  skip(local.missing);
  return undefined;
}

describe.each(GOLDEN_CONFIG_NAMES)("expressions in the %s bundle", (name) => {
  let bundle: Bundle;
  let local: LocalExpressionParsers;
  beforeAll(async () => {
    const model = await loadGoldenModel(name);
    bundle = renderBundle(model);
    local = localExpressionParsers(model);
  });

  it("all LogQL passes the checker", async () => {
    const failures = await checkExpressions(collectExpressions(bundle), { logql: local.parsers.logql });
    expect(failures.map(formatFailure)).toEqual([]);
  });

  it("all PromQL parses", async ({ skip }) => {
    const expressions = collectExpressions(bundle);
    expect(expressions.length, "every golden config renders Prometheus rules").toBeGreaterThan(0);
    const promql = promqlOrSkip(local, skip);
    if (!promql) return;
    const failures = await checkExpressions(expressions, { promql });
    expect(failures.map(formatFailure)).toEqual([]);
  });
});

/** A bundle with one valid and one broken expression per parser, written the way Grafana and Prometheus expect. */
const BROKEN_BUNDLE: Bundle = new Map([
  [
    "prometheus/rules/broken.yml",
    [
      "groups:",
      "  - name: broken",
      "    rules:",
      "      - alert: Fine",
      '        expr: sum by (job) (rate(http_requests_total{job="api"}[5m])) > 0',
      "      - record: job:broken:sum",
      "        expr: sum(rate(http_requests_total[5m])",
    ].join("\n"),
  ],
  [
    "grafana/dashboards/broken.json",
    JSON.stringify({
      templating: { list: [{ name: "service", type: "query", query: "label_values(up, job)" }] },
      panels: [
        {
          title: "Row",
          type: "row",
          panels: [
            {
              title: "Requests",
              targets: [
                { refId: "A", datasource: { type: "prometheus", uid: "prometheus" }, expr: 'sum(rate(http_requests_total{job=~"$service"}[$__rate_interval]))' },
                { refId: "B", datasource: { type: "prometheus", uid: "prometheus" }, expr: 'sum(rate(http_requests_total{job="$service"}[$__rate_interval])) by' },
              ],
            },
          ],
        },
        {
          title: "Logs",
          datasource: { type: "loki", uid: "loki" },
          targets: [
            { refId: "A", expr: 'sum by (level) (count_over_time({service_name=~"$service"} |= "error" [$__auto]))' },
            { refId: "B", expr: '{service_name="$service" |= "error"' },
          ],
        },
        { title: "Traces", targets: [{ refId: "A", datasource: { type: "jaeger", uid: "jaeger" }, query: "$traceId" }] },
      ],
    }),
  ],
]);

describe("each parser rejects a broken expression", () => {
  let local: LocalExpressionParsers;
  beforeAll(async () => {
    local = localExpressionParsers(await loadGoldenModel("everything"));
  });

  it("collects rule and panel expressions with the language of their datasource, Jaeger excluded", () => {
    const collected = collectExpressions(BROKEN_BUNDLE).map(({ language, where }) => `${language} ${where}`);
    expect(collected).toEqual([
      'promql alert "Fine" in group "broken"',
      'promql record "job:broken:sum" in group "broken"',
      'promql panel "Row" › panel "Requests" target A',
      'promql panel "Row" › panel "Requests" target B',
      'logql panel "Logs" target A',
      'logql panel "Logs" target B',
    ]);
  });

  it("refuses a target whose expression has no datasource type", () => {
    const dashboard = JSON.stringify({ panels: [{ title: "Mystery", targets: [{ refId: "A", expr: "up" }] }] });
    expect(() => collectExpressions(new Map([["grafana/dashboards/mystery.json", dashboard]]))).toThrow(/panel "Mystery" target A has an expression but no datasource type/);
  });

  it("LogQL is checked on every machine, with no binary", () => {
    expect(local.parsers.logql).toBe(logqlParser);
  });

  it("reports exactly the broken LogQL, with the position and the unexpected text", async () => {
    const failures = await checkExpressions(collectExpressions(BROKEN_BUNDLE), { logql: logqlParser });
    expect(failures.map(({ expression, error }) => [expression.where, error])).toEqual([
      ['panel "Logs" target B', "parse error at line 1, col 24: syntax error: unexpected `|=`"],
    ]);
  });

  it("reports exactly the broken PromQL, with promtool's error", async ({ skip }) => {
    const promql = promqlOrSkip(local, skip);
    if (!promql) return;
    const failures = await checkExpressions(collectExpressions(BROKEN_BUNDLE), { promql });
    expect(failures.map(({ expression }) => `${expression.file}: ${expression.where}`).sort()).toEqual([
      'grafana/dashboards/broken.json: panel "Row" › panel "Requests" target B',
      'prometheus/rules/broken.yml: record "job:broken:sum" in group "broken"',
    ]);
    for (const failure of failures) expect(failure.error).toMatch(/parse error/);
  });

  it("Loki's own validation applies: a selector whose matchers all accept the empty string is rejected", async () => {
    const [error] = await logqlParser(['{job=~".*"}']);
    expect(error).toMatch(/at least one .*matcher/);
  });
});

describe("Grafana template variables are replaced with values that keep the query valid", () => {
  const variables = declaredVariables([
    { name: "service", type: "query", query: "label_values(up, job)" },
    { name: "window", type: "interval", query: "auto,1m,10m" },
    { name: "quantile", type: "custom", query: "p99 : 0.99, p50 : 0.5" },
    { name: "limit", type: "constant", query: "10" },
    { name: "group", type: "query", query: "label_names()" },
  ]);

  it.for([
    ['rate(x{job=~"$service"}[$__rate_interval])', 'rate(x{job=~".+"}[5m])'],
    ['rate(x{job="${service}"}[${__interval}])', 'rate(x{job="sample"}[5m])'],
    ['rate(x{job=~"[[service]]"}[[[window]]])', 'rate(x{job=~".+"}[1m])'],
    ["histogram_quantile($quantile, sum by (le, $group) (rate(x[$__range])))", "histogram_quantile(0.99, sum by (le, sample) (rate(x[5m])))"],
    ["topk(${limit}, x) offset $service", "topk(10, x) offset 5m"],
    ['{app=~"${service:regex}"} |~ `$service` != "$service"', '{app=~".+"} |~ `.+` != "sample"'],
    ['label_replace(x, "dst", "$1", "src", "(.*)")', 'label_replace(x, "dst", "$1", "src", "(.*)")'],
    ['x{a="$undeclared", b="$constructor"} @ $__to', 'x{a="$undeclared", b="$constructor"} @ 1700000000000'],
  ] as const)("%s", ([expr, expected]) => {
    expect(substituteVariables(expr, variables)).toBe(expected);
  });

  it("escapes a declared value for the string it lands in", () => {
    expect(substituteVariables('x{a="$v"}', declaredVariables([{ name: "v", type: "constant", query: 'say "hi"' }]))).toBe('x{a="say \\"hi\\""}');
  });
});
