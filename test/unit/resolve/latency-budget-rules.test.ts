import { describe, expect, it } from "vitest";
import type { StackConfigInput } from "../../../scripts/stack/config/schema.ts";
import { issuesOf, tryParse } from "../../helpers/parse.ts";

const svc = (extra: object = {}) => ({ name: "api", url: "http://api:8080", health: { ready: "/ready" }, ...extra });
const others = [svc({ name: "a" }), svc({ name: "b" })];

describe("generate refuses settings that cannot meet the latency budget", () => {
  it.for<{ name: string; config: StackConfigInput; path: string; message: RegExp; hint: RegExp }>([
    {
      name: "a probe interval too long for the warning budget",
      config: { services: [...others, svc({ synthetics: { interval: "2m" } })] },
      path: "services[2].synthetics.interval",
      message: /^with this interval a warning probe alert \(HealthProbeFailing\) can take up to 5m10s, over the 5m budget \(alerting\.latencyBudget\.warning\)$/,
      hint: /^worst case = probe interval 2m \+ timeout 10s \+ evaluation 15s \+ for 2m15s \+ group_wait 30s; shorten it, or raise alerting\.latencyBudget\.warning$/,
    },
    {
      name: "a service's scrape interval too long for a critical ServiceDown",
      config: { services: [svc({ scrapeInterval: "1m" })] },
      path: "services[0].scrapeInterval",
      message: /critical alert \(ServiceDown\) can take up to 2m50s, over the 90s budget|over the 1m30s budget/,
      hint: /scrape interval 1m \+ timeout 10s \+ evaluation 15s \+ for 1m15s \+ group_wait 10s/,
    },
    {
      name: "the global scrape interval, reported once for every service it slows",
      config: { components: { prometheus: { scrapeInterval: "1m" } }, services: others },
      path: "components.prometheus.scrapeInterval",
      message: /critical alert \(ServiceDown\) can take up to 2m50s/,
      hint: /shorten it/,
    },
    {
      name: "an alertAfter over the warning budget",
      config: { services: [svc({ synthetics: { alertAfter: "10m" } })] },
      path: "services[0].synthetics.alertAfter",
      message: /^with this alertAfter a warning probe alert \(HealthProbeFailing\) can take up to 11m25s/,
      hint: /for 10m/,
    },
    {
      name: "an alertAfter that one failed probe would reach",
      config: { services: [svc({ synthetics: { alertAfter: "30s" } })] },
      path: "services[0].synthetics.alertAfter",
      message: /^30s is shorter than two failed probes \(45s: interval 30s \+ timeout 10s, rounded up to the 15s evaluation interval\)/,
      hint: /^set it to at least 45s/,
    },
    {
      name: "a severity's group wait",
      config: { services: [svc()], alerting: { severities: { critical: { groupWait: "1m" } } } },
      path: "alerting.severities.critical.groupWait",
      message: /^with this group wait a critical alert \(ServiceDown\) can take up to 2m10s/,
      hint: /group_wait 1m;/,
    },
    {
      name: "the routes' group wait, when a category route may take critical alerts",
      config: {
        services: [svc()],
        alerting: { groupWait: "1m", receivers: [{ name: "sec", webhook: { url: "http://sec:1/" } }], categories: { security: { receivers: ["sec"] } } },
      },
      path: "alerting.groupWait",
      message: /your routes and the category routes may take the alert/,
      hint: /group_wait 1m;/,
    },
    {
      name: "the evaluation interval",
      config: { services: [svc()], components: { prometheus: { evaluationInterval: "1m" } } },
      path: "components.prometheus.evaluationInterval",
      message: /critical alert \(ServiceDown\) can take up to 2m35s/,
      hint: /evaluation 1m \+ for 1m/,
    },
    {
      name: "a budget nothing can meet",
      config: { services: [svc()], alerting: { latencyBudget: { critical: "5s" } } },
      path: "alerting.latencyBudget.critical",
      message: /^cannot be met: even with `for` at its floor of two failed scrapes, a critical alert \(ServiceDown\) can take up to/,
      hint: /raise the budget to at least/,
    },
  ])("$name", ({ config, path, message, hint }) => {
    const issues = issuesOf(config).filter((issue) => issue.path === path);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(message);
    expect(issues[0]!.hint).toMatch(hint);
  });

  it.for<{ name: string; config: StackConfigInput }>([
    { name: "the defaults", config: { services: [svc({ slo: { availability: 0.999 } })] } },
    { name: "a routes' group wait when no route can take the alert's severity", config: { services: [svc()], alerting: { groupWait: "5m" } } },
    { name: "a long interval without Alertmanager", config: { services: [svc({ scrapeInterval: "5m" })], components: { alertmanager: { enabled: false } } } },
    { name: "a raised budget", config: { services: [svc({ scrapeInterval: "1m" })], alerting: { latencyBudget: { critical: "3m" } } } },
  ])("accepts $name", ({ config }) => {
    const outcome = tryParse(config);
    expect(outcome.ok ? [] : outcome.issues).toEqual([]);
  });
});
