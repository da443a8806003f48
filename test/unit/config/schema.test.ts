import { describe, expect, it } from "vitest";
import { IMAGE_PINS } from "../../../scripts/stack/catalog/components.ts";
import { issuesOf, modelOf, tryParse } from "../../helpers/parse.ts";

const paths = (issues: ReadonlyArray<{ path: string }>) => issues.map((issue) => issue.path);

describe("defaults", () => {
  it("an empty config runs every component but the opt-in ones on 127.0.0.1 with pinned images, the Collector as the log agent", () => {
    const model = modelOf({});
    const { alloy, promtail, statsdExporter, proxy, ...others } = model.enabled;
    expect(Object.values(others).every(Boolean)).toBe(true);
    expect({ alloy, promtail, statsdExporter, proxy }).toEqual({ alloy: false, promtail: false, statsdExporter: false, proxy: false });
    expect(model.config.logs.collector).toBe("otelcol");
    expect(model.logDestination).toEqual({ url: "http://loki:3100", bundled: true });
    expect(model.config.bindAddress).toBe("127.0.0.1");
    expect(model.config.components.prometheus.port).toBe(9090);
    expect(model.config.components.grafana.adminUser).toBe("admin");
    expect(model.images.loki).toBe(`grafana/loki:${IMAGE_PINS.loki.tag}`);
    for (const image of Object.values(model.images)) expect(image).not.toMatch(/:latest$|^[^:]+$/);
  });

  it("an image override replaces only that component's image", () => {
    const model = modelOf({ images: { loki: "mirror.local/loki:3.7.8" } });
    expect(model.images.loki).toBe("mirror.local/loki:3.7.8");
    expect(model.images.prometheus).toBe(`prom/prometheus:${IMAGE_PINS.prometheus.tag}`);
  });
});

describe("field errors name the path", () => {
  it("collects every problem at once", () => {
    const issues = issuesOf({
      services: [
        { name: "api", url: "not a url", health: { ready: "readyz" } },
        { name: "db", url: "http://db:80", slo: { availability: 1.5 } },
      ],
      components: { prometheus: { retention: { time: "15 days" } } },
    });
    expect(paths(issues)).toEqual(
      expect.arrayContaining([
        "services[0].url",
        "services[0].health.ready",
        "services[1].slo.availability",
        "components.prometheus.retention.time",
      ]),
    );
    expect(issues.find((i) => i.path === "services[0].health.ready")?.message).toMatch(/must start with "\/"/);
  });

  it("rejects an unknown key with a did-you-mean", () => {
    const issues = issuesOf({ components: { prometheus: { retension: { time: "1d" } } } });
    expect(issues).toEqual([
      { path: "components.prometheus.retension", message: "unknown key", hint: 'did you mean "retention"?' },
    ]);
  });

  it("lists the allowed keys when nothing is close", () => {
    const [issue] = issuesOf({ alerting: { zzzzzzzz: true } });
    expect(issue?.hint).toMatch(/allowed keys here: receivers, defaultReceiver, routes/);
  });

  it("rejects an SLO target outside (0, 1)", () => {
    for (const target of [0, 1, -0.5, 99.9]) {
      const issues = issuesOf({ services: [{ name: "api", url: "http://api:80", slo: { latency: { threshold: "300ms", target } } }] });
      expect(paths(issues)).toContain("services[0].slo.latency.target");
    }
  });

  it("rejects invalid durations", () => {
    const issues = issuesOf({ alerting: { groupWait: "30 seconds" }, components: { loki: { retention: "1month" } } });
    expect(paths(issues)).toEqual(["components.loki.retention", "alerting.groupWait"]);
    for (const bad of ["30s5m", "1d1d", "0s", "0h0m", "", "5"])
      expect(paths(issuesOf({ components: { prometheus: { scrapeInterval: bad } } })), bad).toEqual(["components.prometheus.scrapeInterval"]);
    for (const good of ["1h30m", "90s", "1y2w3d4h5m6s7ms", "500ms"]) expect(tryParse({ components: { prometheus: { scrapeInterval: good } } }).ok, good).toBe(true);
  });

  it("rejects invalid URLs", () => {
    for (const url of ["api:8080", "ftp://api", "http://"]) {
      expect(paths(issuesOf({ services: [{ name: "api", url }] }))).toEqual(["services[0].url"]);
    }
  });

  it("rejects regexes that are invalid or that RE2 cannot run", () => {
    const issues = issuesOf({
      logs: {
        drop: [
          { name: "broken", pattern: "([a-z" },
          { name: "lookahead", pattern: "foo(?=bar)" },
        ],
        scrub: { custom: [{ name: "backref", pattern: "(a)\\1" }, { name: "nogroup", pattern: "secret=\\w+" }] },
      },
    });
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
    expect(byPath["logs.drop[0].pattern"]).toMatch(/not a regex Go's RE2 accepts: error parsing regexp: missing closing \]/);
    expect(byPath["logs.drop[1].pattern"]).toMatch(/RE2 has no lookahead/);
    expect(byPath["logs.scrub.custom[0].pattern"]).toMatch(/RE2 has no backreferences/);
    expect(byPath["logs.scrub.custom[1].pattern"]).toMatch(/capture group/);
  });

  it("accepts RE2 that JavaScript's RegExp would refuse", () => {
    const drop = (pattern: string) => ({ logs: { drop: [{ name: "x", pattern }] } });
    for (const pattern of ["(?i)healthcheck", "(?P<path>/health)", "\\Qa.b\\E", "[[:digit:]]+", "\\pL+"]) expect(tryParse(drop(pattern)).ok, pattern).toBe(true);
  });

  it("rejects a secret written inline instead of an env var name", () => {
    const issues = issuesOf({ alerting: { receivers: [{ name: "chat", slack: { webhookUrlEnv: "https://hooks.slack.com/x" } }] } });
    expect(issues[0]).toMatchObject({ path: "alerting.receivers[0].slack.webhookUrlEnv" });
    expect(issues[0]?.message).toMatch(/NAME of an environment variable/);
  });

  it("rejects a bad project name and port", () => {
    const issues = issuesOf({ project: { name: "My Stack" }, components: { grafana: { port: 70000 } } });
    expect(paths(issues)).toEqual(["project.name", "components.grafana.port"]);
  });
});

describe("cross-field rules", () => {
  it("the demo needs the Collector it sends its traces to", () => {
    const issues = issuesOf({ demo: { enabled: true }, components: { otelCollector: { enabled: false } }, logs: { collector: "promtail" } });
    expect(issues).toEqual([expect.objectContaining({ path: "demo.enabled", hint: "enable components.otelCollector or set demo.enabled to false" })]);
    expect(tryParse({ demo: { enabled: true } }).ok).toBe(true);
  });

  it("rejects host port collisions, naming both fields", () => {
    const issues = issuesOf({ components: { grafana: { port: 9090 } } });
    expect(issues).toEqual([
      { path: "components.grafana.port", message: "host port 9090 is already used by components.prometheus.port", hint: "give one of them another port" },
    ]);
  });

  it("allows the same port on different bind addresses, but not against 0.0.0.0", () => {
    expect(tryParse({ components: { grafana: { port: 9090, bindAddress: "10.0.0.5" } } }).ok).toBe(true);
    expect(tryParse({ components: { grafana: { port: 9090, bindAddress: "0.0.0.0" } } }).ok).toBe(false);
  });

  it("checks extra ports once each (TCP and UDP on one number), and opt-in components only when enabled", () => {
    expect(issuesOf({ components: { otelCollector: { grpcPort: 9093 } } })).toEqual([
      { path: "components.otelCollector.grpcPort", message: "host port 9093 is already used by components.alertmanager.port", hint: "give one of them another port" },
    ]);
    expect(tryParse({ components: { statsdExporter: { ingestPort: 9090 } } }).ok).toBe(true);
    expect(issuesOf({ components: { statsdExporter: { enabled: true, ingestPort: 9090 } } })).toEqual([
      { path: "components.statsdExporter.ingestPort", message: "host port 9090 is already used by components.prometheus.port", hint: "give one of them another port" },
    ]);
  });

  it("ignores ports of disabled components", () => {
    expect(tryParse({ components: { grafana: { port: 9090 }, prometheus: { enabled: false }, alertmanager: { enabled: false }, blackbox: { enabled: false } } }).ok).toBe(true);
  });

  it("rejects a route or default naming a missing receiver", () => {
    const issues = issuesOf({
      alerting: {
        receivers: [{ name: "chat", webhook: { url: "http://hook:80" } }],
        defaultReceiver: "nobody",
        routes: [{ severity: "critical", receiver: "pager" }],
      },
    });
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ["alerting.defaultReceiver", 'receiver "nobody" is not defined'],
      ["alerting.routes[0].receiver", 'receiver "pager" is not defined'],
    ]);
    expect(issues[0]?.hint).toBe("defined receivers: chat");
  });

  it("rejects a route naming a missing time interval", () => {
    const issues = issuesOf({
      alerting: {
        receivers: [{ name: "chat", webhook: { url: "http://hook:80" } }],
        routes: [{ receiver: "chat", muteTimeIntervals: ["weekends"] }],
      },
    });
    expect(paths(issues)).toEqual(["alerting.routes[0].muteTimeIntervals[0]"]);
  });

  it("rejects duplicate service and receiver names", () => {
    const issues = issuesOf({
      services: [
        { name: "api", url: "http://a:1" },
        { name: "api", url: "http://b:1" },
      ],
      alerting: {
        receivers: [
          { name: "x", webhook: { url: "http://h:1" } },
          { name: "x", webhook: { url: "http://h:2" } },
        ],
      },
    });
    expect(paths(issues)).toEqual(["services[1].name", "alerting.receivers[1].name"]);
    expect(issues[0]?.message).toBe('duplicate service name "api" (also at index 0)');
  });

  it("rejects a receiver without integrations and a webhook with both url and urlEnv", () => {
    const issues = issuesOf({
      alerting: {
        receivers: [
          { name: "empty" },
          { name: "both", webhook: { url: "http://h:1", urlEnv: "HOOK_URL" } },
        ],
      },
    });
    expect(paths(issues)).toEqual(["alerting.receivers[0]", "alerting.receivers[1].webhook"]);
  });

  it("rejects a log agent with no Loki to ship to, and the bundled Loki beside an existing one", () => {
    expect(issuesOf({ components: { loki: { enabled: false } }, logs: { collector: "promtail" } })[0]).toMatchObject({
      path: "components.promtail.enabled",
      hint: "enable components.loki, set logs.loki.url to an existing Loki, or disable components.promtail",
    });
    expect(issuesOf({ logs: { loki: { url: "http://loki.internal:3100" } } })).toEqual([
      expect.objectContaining({ path: "logs.loki.url", hint: expect.stringContaining("set components.loki.enabled to false") }),
    ]);
  });

  it("refuses the default log agent, the Collector, switched off while Loki waits for logs", () => {
    expect(issuesOf({ components: { otelCollector: { enabled: false } } })).toEqual([
      expect.objectContaining({ path: "components.otelCollector.enabled", hint: expect.stringContaining('set logs.collector to "promtail" or "alloy"') }),
    ]);
    expect(tryParse({ components: { otelCollector: { enabled: false }, loki: { enabled: false } } }).ok).toBe(true);
  });

  it("refuses an existing Loki URL with credentials or a $", () => {
    const url = (value: string) => paths(issuesOf({ components: { loki: { enabled: false } }, logs: { loki: { url: value } } }));
    expect(url("https://user:pw@logs.example.com")).toEqual(["logs.loki.url"]);
    expect(url("https://logs.example.com/${TENANT}")).toEqual(["logs.loki.url"]);
  });

  it("with Loki off and no existing one, the Collector ships no logs (log collection off, not an error)", () => {
    const model = modelOf({ components: { loki: { enabled: false } } });
    expect(model.logDestination).toBeNull();
  });

  it("an existing Loki (logs.loki.url) is where logs go, without a trailing slash", () => {
    const model = modelOf({ components: { loki: { enabled: false } }, logs: { loki: { url: "https://logs.example.com/" } } });
    expect(model.logDestination).toEqual({ url: "https://logs.example.com", bundled: false });
  });

  it("rejects an empty SLO and an SLO on a service without metrics", () => {
    const issues = issuesOf({
      services: [
        { name: "a", url: "http://a:1", slo: {} },
        { name: "b", url: "http://b:1", metricsPath: false, slo: { availability: 0.99 } },
      ],
    });
    expect(paths(issues)).toEqual(["services[0].slo", "services[1].slo"]);
  });

  it("rejects an SLI error matcher the generated SLO tests cannot exercise", () => {
    const slo = (errorMatcher: string) => ({ services: [{ name: "a", url: "http://a:1", slo: { availability: 0.99, sli: { errorMatcher } } }] });
    expect(paths(issuesOf(slo('outcome="nope"')))).toEqual(["services[0].slo.sli.errorMatcher"]);
    expect(paths(issuesOf(slo('code=~".*"')))).toEqual(["services[0].slo.sli.errorMatcher"]);
    expect(tryParse(slo('status_code=~"5.."')).ok).toBe(true);
    expect(tryParse(slo('outcome="failure"')).ok).toBe(true);
  });

  it("rejects a service named like a component's, an exporter's or a probe's scrape job", () => {
    for (const name of ["loki", "node-exporter", "otel-collector", "postgres-exporter-main", "probe-x"]) {
      const issues = issuesOf({ services: [{ name, url: "http://x:1" }], exporters: { postgres: [{ name: "main", dsnEnv: "PG" }] } }, { mode: "generate" });
      expect(paths(issues), name).toEqual(["services[0].name"]);
    }
  });
});

describe("secrets referenced by env var name", () => {
  const config = { alerting: { receivers: [{ name: "pager", pagerduty: { routingKeyEnv: "PD_KEY" } }] } };

  it("an unset variable is a warning for generate", () => {
    const outcome = tryParse(config, { mode: "generate" });
    expect(outcome.ok && outcome.warnings).toEqual([
      {
        path: "alerting.receivers[0].pagerduty.routingKeyEnv",
        message: "environment variable PD_KEY is not set",
        hint: "export PD_KEY=... or add it to .env next to your stack config",
      },
    ]);
  });

  it("an unset variable is an error for up", () => {
    expect(paths(issuesOf(config, { mode: "up" }))).toEqual(["alerting.receivers[0].pagerduty.routingKeyEnv"]);
  });

  it("a set variable is fine for up", () => {
    expect(tryParse(config, { mode: "up", env: { PD_KEY: "x" } }).ok).toBe(true);
  });
});

describe("scrape protocol fallback and node-exporter's network", () => {
  it("defaults services to Prometheus's classic text format and node-exporter to the host's network", () => {
    const model = modelOf({ services: [{ name: "api", url: "http://api:8080" }] });
    expect(model.config.services[0]?.fallbackScrapeProtocol).toBe("PrometheusText0.0.4");
    expect(model.config.components.nodeExporter.hostNetwork).toBe(true);
  });

  it("accepts Prometheus's protocol names exactly, or false", () => {
    const fallback = (value: unknown) => ({ services: [{ name: "api", url: "http://api:8080", fallbackScrapeProtocol: value as false }] });
    for (const good of ["OpenMetricsText1.0.0", "PrometheusText1.0.0", false]) expect(tryParse(fallback(good)).ok, String(good)).toBe(true);
    // Prometheus compares the names case-sensitively and knows no media types here.
    for (const bad of ["prometheustext0.0.4", "text/plain", true])
      expect(paths(issuesOf(fallback(bad))), String(bad)).toEqual(["services[0].fallbackScrapeProtocol"]);
  });

  it("rejects a hostNetwork that is not a boolean", () => {
    expect(paths(issuesOf({ components: { nodeExporter: { hostNetwork: "yes" as unknown as boolean } } }))).toEqual(["components.nodeExporter.hostNetwork"]);
  });
});
