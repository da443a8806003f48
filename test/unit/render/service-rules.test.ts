import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderServiceRules } from "../../../scripts/stack/render/service-rules.ts";
import { modelOf } from "../../helpers/parse.ts";
import { requirePromtool, promtoolTestRules } from "../../helpers/promtool-rules.ts";

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

type Services = NonNullable<Parameters<typeof modelOf>[0]["services"]>;
const svc = (name: string, extra: Partial<Services[number]> = {}) => ({ name, url: `http://${name}:8080`, health: { ready: "/ready" }, ...extra });
// A longer critical budget than the default, so that a slower scrape makes a shorter `for`.
const ALERTING = { latencyBudget: { critical: "2m" } };
const SERVICES = [svc("api"), svc("web"), svc("batch", { scrapeInterval: "30s" }), svc("edge", { metricsPath: false, synthetics: { alertAfter: "2m" } })];

const render = (services: Services) => {
  const pack = renderServiceRules(modelOf({ services, alerting: ALERTING }))!;
  const groups = (parse(pack.rules) as { groups: Array<{ name: string; rules: Rule[] }> }).groups;
  return { pack, rules: Object.fromEntries(groups.map((group) => [group.name, group.rules])) };
};

describe("service rules", () => {
  it("share one ServiceDown and one HealthProbeFailing rule per `for` among their services", () => {
    const { rules } = render(SERVICES);
    expect(rules["services.up"]!.map((rule) => [rule.expr, rule.for])).toEqual([
      ['label_replace(up{job=~"api|web"} == 0, "service", "$1", "job", "(.*)")', "1m"],
      ['label_replace(up{job=~"batch"} == 0, "service", "$1", "job", "(.*)")', "45s"],
    ]);
    expect(rules["services.probes"]!.map((rule) => rule.expr)).toEqual(['probe_success{service=~"api|web|batch"} == 0', 'probe_success{service=~"edge"} == 0']);
    const [down] = rules["services.up"]!;
    expect(down!.labels).toEqual({ severity: "critical", category: "availability" });
    expect(down!.annotations.summary).toBe("{{ $labels.service }} is down");
  });

  it("add nothing but a name per service", () => {
    const many = (count: number) => Array.from({ length: count }, (_, i) => svc(`svc-${i}`));
    const few = render(many(3)).pack.rules;
    const more = render(many(300)).pack.rules;
    expect((more.length - few.length) / 297).toBeLessThan(30);
  });

  it("pass promtool on one service per timing, and fail it when an alert names the wrong service", ({ skip }) => {
    requirePromtool(skip);
    const { pack } = render(SERVICES);
    const tests = parse(pack.tests()) as { tests: Array<{ name: string }> };
    expect([...new Set(tests.tests.map((test) => test.name.split(":")[0]))]).toEqual([
      "ServiceDown api",
      "ServiceDown batch",
      "HealthProbeFailing api",
      "HealthProbeFailing edge",
    ]);
    const passed = promtoolTestRules("services", pack.rules, pack.tests());
    expect(passed.ok, passed.output).toBe(true);
    const misattributed = promtoolTestRules("services", pack.rules.replaceAll('"$1"', '"other-$1"'), pack.tests());
    expect(misattributed.ok).toBe(false);
    expect(misattributed.output).toContain("ServiceDown api");
  });
});
