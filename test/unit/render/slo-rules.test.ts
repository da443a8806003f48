import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderSloRules } from "../../../scripts/stack/render/slo-rules.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { modelOf } from "../../helpers/parse.ts";
import { requirePromtool, promtoolTestRules, type Rule } from "../../helpers/promtool-rules.ts";

interface TestFile {
  tests: Array<{ name: string; alert_rule_test: Array<{ alertname: string; exp_alerts: Array<{ exp_labels: Record<string, string> }> }> }>;
}

type Services = NonNullable<Parameters<typeof modelOf>[0]["services"]>;
const svc = (name: string, slo: NonNullable<Services[number]["slo"]>, extra: Partial<Services[number]> = {}) => ({ name, url: `http://${name}:8080`, slo, ...extra });

// A longer critical budget than the default, so that a slower scrape makes a longer `for`.
const ALERTING = { latencyBudget: { critical: "2m" } };
const render = (services: Services) => {
  const pack = renderSloRules(modelOf({ services, alerting: ALERTING }))!;
  const [group, ...others] = (parse(pack.rules) as { groups: Array<{ name: string; rules: Rule[] }> }).groups;
  expect(others).toEqual([]);
  return { text: pack.rules, rules: group!.rules, tests: parse(pack.tests()) as TestFile, testsText: pack.tests() };
};

const uniform = (count: number) =>
  Array.from({ length: count }, (_, i) => svc(`svc-${i}`, { availability: 0.999, latency: { threshold: "300ms", target: 0.99 } }));

/** Every kind of difference the rules share by: SLI metric, error matcher, latency threshold, target, window, scrape interval (`for`). */
const VARIED = [
  svc("api", { availability: 0.999, latency: { threshold: "300ms", target: 0.99 } }),
  svc("web", { availability: 0.999, latency: { threshold: "300ms", target: 0.99 } }),
  svc("batch", { availability: 0.999 }, { scrapeInterval: "30s" }),
  svc("cart", { availability: 0.99 }),
  svc("legacy", { availability: 0.999, sli: { metric: "http_request_seconds", errorMatcher: 'status="error"' } }),
  svc("search", { latency: { threshold: "1s", target: 0.95 }, window: "7d" }),
];

describe("SLO rules", () => {
  it("are shared: the rules for 300 services differ from those for 3 only by objective records and names in the selectors", () => {
    const few = render(uniform(3));
    const many = render(uniform(300));
    const shared = (rules: Rule[]) => rules.filter((rule) => rule.record !== "slo:objective:ratio");
    expect(shared(many.rules).length).toBe(shared(few.rules).length);
    // 7 windows and a budget per objective kind, 4 burn alerts per kind.
    expect(shared(many.rules).length).toBe(2 * (7 + 1) + 2 * 4);
    expect(many.rules.filter((rule) => rule.record === "slo:objective:ratio")).toHaveLength(600);
    // Per service: two objective records and its name in the shared selectors, well under 1 KB.
    expect((many.text.length - few.text.length) / 297).toBeLessThan(700);
  });

  it("record each objective, each window's error ratio and the budget left, labelled by service and slo", () => {
    const { rules } = render(VARIED);
    const objectives = rules.filter((rule) => rule.record === "slo:objective:ratio");
    expect(objectives.map((rule) => [rule.labels?.service, rule.labels?.slo, rule.expr])).toEqual([
      ["api", "availability", "vector(0.999)"],
      ["api", "latency", "vector(0.99)"],
      ["web", "availability", "vector(0.999)"],
      ["web", "latency", "vector(0.99)"],
      ["batch", "availability", "vector(0.999)"],
      ["cart", "availability", "vector(0.99)"],
      ["legacy", "availability", "vector(0.999)"],
      ["search", "latency", "vector(0.95)"],
    ]);
    const ratios = rules.filter((rule) => rule.record === "slo:sli_error:ratio_rate1h");
    // Shapes: default availability, latency at 0.3s, legacy's metric and matcher, latency at 1s.
    expect(ratios.map((rule) => [rule.labels?.slo, /job=~"([^"]+)"/.exec(rule.expr)![1]])).toEqual([
      ["availability", "api|web|batch|cart"],
      ["latency", "api|web"],
      ["availability", "legacy"],
      ["latency", "search"],
    ]);
    expect(ratios[2]!.expr).toContain('http_request_seconds_count{job=~"legacy",status="error"}[1h]');
    expect(ratios[1]!.expr).toContain('http_server_request_duration_seconds_bucket{job=~"api|web",le="0.3"}[1h]');
    for (const rule of ratios) expect(rule.expr).toMatch(/^sum by \(service\) \(label_replace\(.*, "service", "\$1", "job", "\(\.\*\)"\)\)$/);
    const budgets = rules.filter((rule) => rule.record === "slo:error_budget_remaining:ratio");
    // cart shares api's shape but not its target: a budget of its own.
    expect(budgets.map((rule) => /job=~"([^"]+)"/.exec(rule.expr)![1])).toEqual(["api|web|batch", "api|web", "cart", "legacy", "search"]);
    expect(budgets.at(-1)!.expr).toContain("[7d]");
    expect(budgets.at(-1)!.expr).toMatch(/\/ 0\.05\)$/);
  });

  it("alert per class of target, window and `for`, naming the class's services unless it holds every objective of its kind", () => {
    const { rules } = render(VARIED);
    const alerts = rules.filter((rule) => rule.alert);
    expect(alerts).toHaveLength(4 * 5);
    const fast = alerts.filter((rule) => rule.alert === "SLOErrorBudgetFastBurn" && rule.labels?.long_window === "1h");
    expect(fast.map((rule) => rule.expr)).toEqual([
      'slo:sli_error:ratio_rate1h{slo="availability",service=~"api|web|legacy"} > 0.0144 and slo:sli_error:ratio_rate5m{slo="availability",service=~"api|web|legacy"} > 0.0144',
      'slo:sli_error:ratio_rate1h{slo="latency",service=~"api|web"} > 0.144 and slo:sli_error:ratio_rate5m{slo="latency",service=~"api|web"} > 0.144',
      'slo:sli_error:ratio_rate1h{slo="availability",service=~"batch"} > 0.0144 and slo:sli_error:ratio_rate5m{slo="availability",service=~"batch"} > 0.0144',
      'slo:sli_error:ratio_rate1h{slo="availability",service=~"cart"} > 0.144 and slo:sli_error:ratio_rate5m{slo="availability",service=~"cart"} > 0.144',
      'slo:sli_error:ratio_rate1h{slo="latency",service=~"search"} > 0.72 and slo:sli_error:ratio_rate5m{slo="latency",service=~"search"} > 0.72',
    ]);
    // batch is scraped every 30s, so its `for` must be shorter to stay within the budget.
    expect(fast.map((rule) => rule.for)).toEqual(["1m", "1m", "45s", "1m", "1m"]);
    expect(fast[0]!.labels).toEqual({ severity: "critical", category: "slo", slo: "availability", long_window: "1h", short_window: "5m" });
    expect(fast[0]!.annotations?.summary).toBe("{{ $labels.service }} is burning its availability error budget fast");
    expect(fast[4]!.annotations?.description).toBe(
      "The latency error ratio over 1h and 5m is above 14.4x the budget of the 95% objective; at this rate the 7d budget is gone in 11.6667h.",
    );
    expect(existsSync(join(REPO_ROOT, fast[0]!.annotations!.runbook_url!))).toBe(true);
    const { rules: one } = render(uniform(2));
    expect(one.find((rule) => rule.alert)!.expr).toBe(
      'slo:sli_error:ratio_rate1h{slo="availability"} > 0.0144 and slo:sli_error:ratio_rate5m{slo="availability"} > 0.0144',
    );
  });

  it("test one objective per shared class, each burn alert firing for that service only and staying silent", () => {
    const { tests } = render([...VARIED, svc("api-2", { availability: 0.999, latency: { threshold: "300ms", target: 0.99 } })]);
    // api-2 is in api's classes: nothing more to prove.
    expect(tests.tests.map((test) => test.name.split(":")[0])).toEqual(
      ["api availability", "api latency", "batch availability", "cart availability", "legacy availability", "search latency"].flatMap((name) => [name, name]),
    );
    for (const test of tests.tests) {
      const service = test.name.split(" ")[0];
      const fired = test.alert_rule_test.flatMap((check) => check.exp_alerts);
      if (test.name.includes("fire")) {
        expect(fired).toHaveLength(4);
        for (const alert of fired) expect(alert.exp_labels.service).toBe(service);
      } else expect(fired).toEqual([]);
    }
  });

  it("pass promtool for every class, and fail it when an alert is attributed to the wrong service", ({ skip }) => {
    requirePromtool(skip);
    const pack = renderSloRules(modelOf({ services: VARIED, alerting: ALERTING }))!;
    const passed = promtoolTestRules("slo", pack.rules, pack.tests());
    expect(passed.ok, passed.output).toBe(true);
    const misattributed = promtoolTestRules("slo", pack.rules.replaceAll('"$1"', '"other-$1"'), pack.tests());
    expect(misattributed.ok).toBe(false);
    expect(misattributed.output).toContain("api availability: burn alerts fire when every request is bad");
  });
});
