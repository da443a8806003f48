import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderBundle, renderSyntheticsScripts } from "../../../scripts/stack/bundle/bundle.ts";
import { blackboxModules, celField, celLiteral } from "../../../scripts/stack/render/blackbox.ts";
import { serviceChecks } from "../../../scripts/stack/resolve/checks.ts";
import { planSynthetics } from "../../../scripts/stack/synthetics/plan.ts";
import { StackError } from "../../../scripts/stack/errors.ts";
import { issuesOf, modelOf } from "../../helpers/parse.ts";

const shop = {
  name: "shop",
  url: "http://shop:8080",
  health: { live: "/livez", detailed: "/health" },
  synthetics: {
    checks: [
      {
        name: "checkout",
        method: "POST" as const,
        path: "/api/checkout",
        headers: { "Content-Type": "application/json" },
        body: '{"sku":"A1"}',
        expect: { status: [200, 201], json: { "order.state": "accepted", total: 12 }, bodyContains: ["order (1)"], maxDuration: "800ms" },
      },
      { name: "search-only-k6", path: "/api/search?q=x", continuous: false },
    ],
    tcp: [{ name: "db", address: "postgres:5432" }],
    profiles: { peak: { stages: [{ duration: "30s", target: 20 }, { duration: "1m", target: 20 }, { duration: "10s", target: 0 }], thresholds: { p95: "300ms", errorRate: 0.01 } } },
  },
};

describe("synthetic check definitions", () => {
  it("derive checks from health endpoints, then custom HTTP and TCP checks", () => {
    const model = modelOf({ services: [shop] });
    const checks = serviceChecks(model.config.services[0]!);
    expect(checks.map((c) => `${c.kind}:${c.name}`)).toEqual(["http:live", "http:detailed", "http:checkout", "http:search-only-k6", "tcp:db"]);
    const checkout = checks.find((c) => c.name === "checkout");
    expect(checkout).toMatchObject({ url: "http://shop:8080/api/checkout", expect: { status: [200, 201], maxSeconds: 0.8 } });
  });

  it("bad definitions get path-named errors", () => {
    const issues = issuesOf({
      services: [
        {
          name: "shop",
          url: "http://shop:8080",
          synthetics: {
            checks: [{ name: "x", path: "nope", expect: { status: 999, json: { "a..b": 1 }, maxDurtion: "1s" } }],
            profiles: { peak: { stages: [] } },
          },
        },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        "services[0].synthetics.checks[0].path",
        "services[0].synthetics.checks[0].expect.status",
        "services[0].synthetics.checks[0].expect.maxDurtion",
        "services[0].synthetics.profiles.peak.stages",
      ]),
    );
    const typo = issues.find((i) => i.path.endsWith("maxDurtion"));
    expect(`${typo?.message} ${typo?.hint}`).toMatch(/maxDuration/);
  });

  it("cross-field rules: duplicate names, timeouts beyond the interval, certificates without TLS", () => {
    const issues = issuesOf({
      services: [
        {
          name: "shop",
          url: "http://shop:8080",
          health: { ready: "/readyz" },
          synthetics: {
            interval: "10s",
            checks: [
              { name: "ready", path: "/x" },
              { name: "slow", path: "/slow", expect: { maxDuration: "15s", certificateDaysLeft: 14 } },
            ],
          },
        },
      ],
    });
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^services\[0\]\.synthetics\.checks\[0\]\.name: duplicate synthetic check name/),
      expect.stringMatching(/^services\[0\]\.synthetics\.checks\[1\]\.expect\.maxDuration: 15s is not shorter than the probe interval \(10s\)/),
      expect.stringMatching(/^services\[0\]\.synthetics\.checks\[1\]\.expect\.certificateDaysLeft: .*not https/),
    ]);
  });
});

describe("blackbox modules and probe jobs", () => {
  const model = modelOf({ services: [shop] });

  it("give each custom check a module asserting what it expects", () => {
    const modules = blackboxModules(model.checks);
    expect(modules.check_shop_checkout).toEqual({
      prober: "http",
      timeout: "0.8s",
      http: {
        preferred_ip_protocol: "ip4",
        follow_redirects: true,
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: '{"sku":"A1"}',
        valid_status_codes: [200, 201],
        fail_if_body_not_matches_regexp: [String.raw`order \(1\)`],
        fail_if_body_json_not_matches_cel: 'body["order"]["state"] == "accepted" && body["total"] == 12.0',
      },
    });
    expect(Object.keys(modules)).not.toContain("check_shop_search-only-k6");
  });

  it("probe only continuous checks, each labelled with its service and check", () => {
    expect(model.probes.map((t) => [t.check, t.module, t.target])).toEqual([
      ["live", "http_2xx", "http://shop:8080/livez"],
      ["detailed", "http_health_json", "http://shop:8080/health"],
      ["checkout", "check_shop_checkout", "http://shop:8080/api/checkout"],
      ["db", "tcp_connect", "postgres:5432"],
    ]);
    const prometheus = parse(renderBundle(model).get("prometheus/prometheus.yml")!) as { scrape_configs: Array<{ job_name: string; scrape_interval?: string; static_configs: Array<{ labels: Record<string, string> }> }> };
    const job = prometheus.scrape_configs.find((j) => j.job_name === "probe-shop-checkout");
    expect(job?.scrape_interval).toBe("30s");
    expect(job?.static_configs[0]?.labels).toEqual({ service: "shop", check: "checkout" });
  });

  it("a custom check named like a health endpoint still gets its own assertions", () => {
    const custom = modelOf({ services: [{ name: "api", url: "http://api:80", synthetics: { checks: [{ name: "ready", path: "/status", expect: { status: 204 } }] } }] });
    expect(custom.probes[0]?.module).toBe("check_api_ready");
    expect(blackboxModules(custom.checks).check_api_ready).toMatchObject({ http: { valid_status_codes: [204] } });
  });

  it("two services whose probe jobs would share a name are refused", () => {
    const issues = issuesOf({
      services: [
        { name: "a-b", url: "http://x:1", synthetics: { checks: [{ name: "c", path: "/" }] } },
        { name: "a", url: "http://y:1", synthetics: { checks: [{ name: "b-c", path: "/" }] } },
      ],
    });
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([expect.stringMatching(/^services\[1\]\.synthetics: duplicate probe job name .*"probe-a-b-c"/)]);
  });

  it("CEL lookups index every key and compare numbers as doubles", () => {
    expect(celField(["content-type", "a"])).toBe('body["content-type"]["a"]');
    expect(celLiteral(3)).toBe("3.0");
    expect(celLiteral(2.5)).toBe("2.5");
    expect(celLiteral(null)).toBe("null");
    expect(celLiteral('say "hi"')).toBe('"say \\"hi\\""');
  });
});

describe("k6 runs", () => {
  const model = modelOf({ project: { name: "acme" }, services: [shop, { name: "local", url: "http://localhost:3000", health: { live: "/" } }, { name: "nochecks", url: "http://x:1" }] });

  it("run services on the stack network, or the host's for localhost, writing to Prometheus", () => {
    expect(planSynthetics(model, {}).map((r) => [r.service, r.network, r.remoteWriteUrl])).toEqual([
      ["shop", "acme_default", "http://prometheus:9090/api/v1/write"],
      ["local", "host", "http://127.0.0.1:9090/api/v1/write"],
    ]);
  });

  it("a profile selects the services that have it; unknown names get a suggestion", () => {
    expect(planSynthetics(model, { profile: "peak" }).map((r) => r.service)).toEqual(["shop"]);
    expect(() => planSynthetics(model, { service: "shopp" })).toThrow(/did you mean "shop"/);
    expect(() => planSynthetics(model, { profile: "peek" })).toThrow(/did you mean "peak"/);
    expect(() => planSynthetics(model, { service: "nochecks" })).toThrow(StackError);
  });

  it("render one script per service plus the shared library", () => {
    expect([...renderSyntheticsScripts(model).keys()]).toEqual(["k6/lib/summary.ts", "k6/lib/synthetics.ts", "k6/local.ts", "k6/shop.ts"]);
  });
});
