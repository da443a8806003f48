import { describe, expect, it } from "vitest";
import type { StackConfigInput } from "../../../scripts/stack/config/schema.ts";
import { minimumFor, timingSeconds, worstCaseSeconds } from "../../../scripts/stack/resolve/alert-latency.ts";
import { budgetedAlerts } from "../../../scripts/stack/resolve/latency-budget-rules.ts";
import { modelOf } from "../../helpers/parse.ts";

const service = { name: "api", url: "http://api:8080", health: { ready: "/ready" }, slo: { availability: 0.999 } };

describe("alert timings derived from alerting.latencyBudget", () => {
  it.for<{ name: string; config: StackConfigInput; expected: object }>([
    {
      name: "the defaults: 15s scrapes and evaluations, 10s/30s group waits, 30s probes",
      config: { services: [service] },
      expected: {
        scrapeInterval: "15s",
        evaluationInterval: "15s",
        groupWait: { critical: "10s", warning: "30s", info: "30s" },
        routeGroupWait: "10s",
        hostSilence: { window: "40s", for: "15s" },
        services: [{ scrapeInterval: "15s", for: { critical: "30s", warning: "3m45s" }, probeInterval: "30s", alertAfter: "3m30s", certificateFor: "3m30s" }],
      },
    },
    {
      name: "a 60s critical budget: everything faster",
      config: { services: [service], alerting: { latencyBudget: { critical: "60s" } } },
      expected: {
        scrapeInterval: "10s",
        evaluationInterval: "10s",
        groupWait: { critical: "6s", warning: "30s", info: "30s" },
        routeGroupWait: "6s",
        hostSilence: { window: "30s", for: "10s" },
        services: [{ scrapeInterval: "10s", for: { critical: "20s", warning: "4m" }, probeInterval: "30s", alertAfter: "3m40s", certificateFor: "3m40s" }],
      },
    },
    {
      name: "generous budgets: the preferred intervals, longer for durations",
      config: { services: [service], alerting: { latencyBudget: { critical: "10m", warning: "1h" } } },
      expected: {
        scrapeInterval: "15s",
        evaluationInterval: "15s",
        groupWait: { critical: "10s", warning: "30s", info: "30s" },
        routeGroupWait: "10s",
        hostSilence: { window: "40s", for: "8m45s" },
        services: [{ scrapeInterval: "15s", for: { critical: "9m", warning: "58m45s" }, probeInterval: "30s", alertAfter: "58m30s", certificateFor: "58m30s" }],
      },
    },
    {
      name: "explicit settings are kept; for adapts to them",
      config: {
        components: { prometheus: { scrapeInterval: "10s", evaluationInterval: "5s" } },
        services: [{ ...service, scrapeInterval: "20s", synthetics: { interval: "1m", alertAfter: "2m" } }],
        alerting: { groupWait: "20s", severities: { critical: { groupWait: "5s" } } },
      },
      expected: {
        scrapeInterval: "10s",
        evaluationInterval: "5s",
        groupWait: { critical: "5s", warning: "30s", info: "30s" },
        routeGroupWait: "20s",
        hostSilence: { window: "30s", for: "50s" },
        services: [{ scrapeInterval: "20s", for: { critical: "50s", warning: "3m55s" }, probeInterval: "1m", alertAfter: "2m", certificateFor: "3m15s" }],
      },
    },
    {
      name: "a category route may carry critical alerts: its group wait counts against the critical budget",
      config: {
        services: [service],
        alerting: { groupWait: "15s", receivers: [{ name: "sec", webhook: { url: "http://sec:1/" } }], categories: { security: { receivers: ["sec"] } } },
      },
      expected: {
        scrapeInterval: "15s",
        evaluationInterval: "15s",
        groupWait: { critical: "10s", warning: "30s", info: "30s" },
        routeGroupWait: "15s",
        hostSilence: { window: "40s", for: "15s" },
        services: [{ scrapeInterval: "15s", for: { critical: "30s", warning: "3m45s" }, probeInterval: "30s", alertAfter: "3m30s", certificateFor: "3m30s" }],
      },
    },
  ])("$name", ({ config, expected }) => {
    expect(modelOf(config).timings).toEqual(expected);
  });

  it.for([
    { critical: "20s", warning: "1m" },
    { critical: "60s", warning: "2m" },
    { critical: "90s", warning: "5m" },
    { critical: "3m", warning: "15m" },
    { critical: "1h", warning: "1d" },
  ])("derived settings meet budgets of critical $critical and warning $warning", (latencyBudget) => {
    const model = modelOf({ services: [service], alerting: { latencyBudget } });
    const times = timingSeconds(model.config);
    const alerts = budgetedAlerts(model, times);
    expect(alerts.map((timed) => timed.alerts[0])).toEqual(["ServiceDown", "SLOErrorBudgetSlowBurn", "HealthProbeFailing"]);
    for (const { terms, severity } of alerts) {
      expect(worstCaseSeconds(terms)).toBeLessThanOrEqual(times.budget[severity]);
      expect(terms.for).toBeGreaterThanOrEqual(minimumFor(terms.interval, terms.evaluation));
    }
  });

  it.for([
    { interval: 15, evaluation: 15, expected: 30 },
    { interval: 30, evaluation: 15, expected: 45 },
    { interval: 5, evaluation: 5, expected: 10 },
    { interval: 60, evaluation: 60, expected: 120 },
  ])("for needs two failed scrapes: interval $interval s, evaluation $evaluation s → at least $expected s", ({ interval, evaluation, expected }) => {
    expect(minimumFor(interval, evaluation)).toBe(expected);
  });
});
