import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { counterValues, renderAnomalyRules } from "../../../scripts/stack/render/anomaly-rules.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { modelOf } from "../../helpers/parse.ts";
import { requirePromtool, promtoolTestRules, type Rule } from "../../helpers/promtool-rules.ts";

interface RuleFile {
  groups: Array<{ name: string; rules: Rule[] }>;
}
interface TestFile {
  rule_files: string[];
  tests: Array<{ name: string; alert_rule_test: Array<{ alertname: string; exp_alerts: Array<{ exp_labels: Record<string, string> }> }> }>;
}

/** Expands promtool's `a+bxn` notation, for checking what counterValues writes. */
function expand(values: string): number[] {
  return values.split(" ").flatMap((term) => {
    const [, start, step, times] = /^(-?\d+)\+(\d+)x(\d+)$/.exec(term)!;
    return Array.from({ length: Number(times) + 1 }, (_, i) => Number(start) + i * Number(step));
  });
}

const render = (services: Parameters<typeof modelOf>[0]["services"]) => {
  const pack = renderAnomalyRules(modelOf({ services }));
  return pack && { rules: parse(pack.rules) as RuleFile, tests: parse(pack.tests()) as TestFile };
};

describe("counterValues", () => {
  it("writes one sample per minute that grows at each phase's rate without jumps", () => {
    const samples = expand(counterValues([[50, 3], [70, 2], [0, 2]]));
    expect(samples).toEqual([0, 50, 100, 150, 220, 290, 290, 290]);
    expect(counterValues([[60, 30], [60, 30], [0, 5]])).toBe("0+60x60 3600+0x4");
  });
});

describe("anomaly rules", () => {
  it("are generated only for services with metrics", () => {
    expect(render([{ name: "static", url: "http://static:80", metricsPath: false }])).toBeUndefined();
    const pack = render([
      { name: "api", url: "http://api:8080" },
      { name: "static", url: "http://static:80", metricsPath: false },
    ])!;
    expect(pack.rules.groups.map((group) => group.name)).toEqual(["anomaly"]);
    expect(pack.rules.groups[0]!.rules[0]!.expr).toContain('{service=~"api"}');
    expect(pack.tests.rule_files).toEqual(["../anomaly.yml"]);
  });

  it("are shared: more services add only their names to the signals' selectors", () => {
    const services = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `svc-${i}`, url: `http://svc-${i}:8080` }));
    const [few] = render(services(2))!.rules.groups;
    const [many] = render(services(200))!.rules.groups;
    expect(many!.rules.length).toBe(few!.rules.length);
    expect(many!.rules.map((rule) => rule.record ?? rule.alert)).toEqual(few!.rules.map((rule) => rule.record ?? rule.alert));
    expect(many!.rules[0]!.expr).toContain(`{service=~"${services(200).map((service) => service.name).join("|")}"}`);
    for (const rule of many!.rules.slice(2)) expect(rule.expr, rule.record ?? rule.alert).not.toContain("svc-");
  });

  it("record rate, p95 latency, their daily average, deviation, z-score and band", () => {
    const [group] = render([{ name: "api", url: "http://api:8080" }])!.rules.groups;
    const records = group!.rules.filter((rule) => rule.record);
    expect(records.map((rule) => rule.record)).toEqual([
      "service:http_requests:rate5m",
      "service:http_request_duration_seconds:p95_5m",
      ...["service:http_requests:rate5m", "service:http_request_duration_seconds:p95_5m"].flatMap((series) =>
        ["avg", "stddev", "zscore", "upper_band", "lower_band"].map((stat) => `${series}:${stat}_1d`),
      ),
    ]);
    // Labelled by service through their aggregation, not by a rule label.
    for (const rule of records) expect(rule.labels, rule.record).toBeUndefined();
    expect(records[0]!.expr).toBe('sum by (service) (rate(http_server_request_duration_seconds_count{service=~"api"}[5m]))');
    expect(records[1]!.expr).toContain('histogram_quantile(0.95, sum by (service, le) (rate(http_server_request_duration_seconds_bucket{service=~"api"}[5m])))');
  });

  it("read the histogram the service's SLO names, with one pair of signal rules per histogram", () => {
    const [group] = render([
      { name: "api", url: "http://api:8080", slo: { availability: 0.99, sli: { metric: "http_request_seconds" } } },
      { name: "web", url: "http://web:8080" },
      { name: "cart", url: "http://cart:8080" },
    ])!.rules.groups;
    const signals = group!.rules.filter((rule) => rule.expr.includes("rate(http_"));
    expect(signals.map((rule) => /(\w+)_(count|bucket)\{service=~"([^"]+)"\}/.exec(rule.expr)!.slice(1))).toEqual([
      ["http_request_seconds", "count", "api"],
      ["http_request_seconds", "bucket", "api"],
      ["http_server_request_duration_seconds", "count", "web|cart"],
      ["http_server_request_duration_seconds", "bucket", "web|cart"],
    ]);
  });

  it("alert on a z-score beyond ±3 for 15 minutes, only for busy services with history, as warnings with a runbook", () => {
    const [group] = render([{ name: "api", url: "http://api:8080" }])!.rules.groups;
    const alerts = group!.rules.filter((rule) => rule.alert);
    expect(alerts.map((rule) => [rule.alert, rule.labels?.direction])).toEqual([
      ["ServiceRequestRateAnomaly", "above"],
      ["ServiceRequestRateAnomaly", "below"],
      ["ServiceLatencyAnomaly", "above"],
      ["ServiceLatencyAnomaly", "below"],
    ]);
    for (const alert of alerts) {
      expect(alert.for).toBe("15m");
      expect(alert.expr).toMatch(/zscore_1d (> 3|< -3)\n/);
      expect(alert.expr).toContain("and on (service) service:http_requests:rate5m:avg_1d >= 0.5");
      expect(alert.expr).toContain("offset 3h");
      // The service label comes from the series; the annotations name it through a template.
      expect(alert.labels).toEqual({ severity: "warning", category: "anomaly", direction: alert.labels?.direction });
      expect(alert.annotations?.summary).toMatch(/^\{\{ \$labels\.service \}\} /);
      expect(alert.annotations?.dashboard).toBe("/d/service-overview");
      expect(existsSync(join(REPO_ROOT, alert.annotations!.runbook_url!))).toBe(true);
    }
  });

  it("test every alert firing and staying silent, for one service per histogram", () => {
    const { tests } = render([
      { name: "api", url: "http://api:8080" },
      { name: "web", url: "http://web:8080" },
      { name: "legacy", url: "http://legacy:8080", slo: { availability: 0.99, sli: { metric: "http_request_seconds" } } },
    ])!.tests;
    expect([...new Set(tests.map((test) => test.name.split(":")[0]))]).toEqual(["api", "legacy"]);
    for (const service of ["api", "legacy"]) {
      const checks = tests.filter((test) => test.name.startsWith(`${service}:`)).flatMap((test) => test.alert_rule_test);
      for (const alertname of ["ServiceRequestRateAnomaly", "ServiceLatencyAnomaly"]) {
        const ofAlert = checks.filter((check) => check.alertname === alertname);
        expect(ofAlert.some((check) => check.exp_alerts.length === 0), `${service} ${alertname} silent`).toBe(true);
        expect(ofAlert.some((check) => check.exp_alerts.some((alert) => alert.exp_labels.service === service)), `${service} ${alertname} fires`).toBe(true);
      }
      const directions = checks.flatMap((check) => check.exp_alerts.map((alert) => `${check.alertname} ${alert.exp_labels.direction}`));
      expect(new Set(directions)).toEqual(
        new Set(["ServiceRequestRateAnomaly above", "ServiceRequestRateAnomaly below", "ServiceLatencyAnomaly above", "ServiceLatencyAnomaly below"]),
      );
    }
  });

  it("pass promtool for each histogram, and fail it when a signal is recorded wrong", ({ skip }) => {
    requirePromtool(skip);
    const pack = renderAnomalyRules(
      modelOf({
        services: [
          { name: "api", url: "http://api:8080" },
          { name: "web", url: "http://web:8080" },
          { name: "legacy", url: "http://legacy:8080", slo: { availability: 0.99, sli: { metric: "http_request_seconds" } } },
        ],
      }),
    )!;
    const passed = promtoolTestRules("anomaly", pack.rules, pack.tests());
    expect(passed.ok, passed.output).toBe(true);
    const misattributed = promtoolTestRules("anomaly", pack.rules.replace('sum by (service) (rate(', 'sum by (service) (0 * rate('), pack.tests());
    expect(misattributed.ok).toBe(false);
  });
});
