/**
 * Agents on other hosts (issue 13): the agent bundle a host runs, and what the central stack adds
 * for each declared host — a route, a receiver with that host's token only, and the host's labels
 * set by the stack over whatever the agent sends.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { caddyConfig } from "../../../scripts/stack/render/caddy.ts";
import { AGENT_BUNDLE_PATHS, renderAgentBundle } from "../../../scripts/stack/render/agent.ts";
import { AGENT_RECEIVER_BASE_PORT, AGENT_TOKEN_ENV } from "../../../scripts/stack/config/agents.ts";
import { modelOf } from "../../helpers/parse.ts";

const config = {
  components: { proxy: { enabled: true, hostname: "obs.example.com" } },
  hosts: [
    { name: "web-1", labels: { region: "eu-$west" } },
    { name: "db-1", address: "10.0.0.7" },
  ],
};

interface Collector {
  extensions: Record<string, { tokens?: string[]; token?: string }>;
  receivers: Record<string, { protocols: { http?: { endpoint: string; auth?: { authenticator: string } }; grpc?: unknown } }>;
  processors: Record<string, { attributes?: Array<{ key: string; value?: string; action: string }> }>;
  exporters: Record<string, { endpoint?: string; auth?: { authenticator: string } }>;
  service: { pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
}

describe("the central stack, per declared host", () => {
  const model = modelOf(config);
  const collector = parse(renderBundle(model).get("otelcol/config.yaml")!) as Collector;

  it("a receiver per host that accepts only that host's token, and labels what arrives with its name and labels", () => {
    for (const [index, host, token] of [[0, "web-1", "AGENT_TOKEN_WEB_1"], [1, "db-1", "AGENT_TOKEN_DB_1"]] as const) {
      const receiver = collector.receivers[`otlp/host-${host}`]!;
      expect(receiver.protocols.http!.endpoint).toBe(`0.0.0.0:${AGENT_RECEIVER_BASE_PORT + index}`);
      expect(receiver.protocols.grpc).toBeUndefined();
      expect(collector.extensions[receiver.protocols.http!.auth!.authenticator]!.tokens).toEqual([`\${env:${token}}`]);
      for (const signal of ["traces", "metrics", "logs"]) {
        const pipeline = collector.service.pipelines[`${signal}/host-${host}`]!;
        expect(pipeline.receivers).toEqual([`otlp/host-${host}`]);
        expect(pipeline.processors).toContain(`resource/host-${host}`);
      }
    }
    // Upserted: an agent cannot ship as another host; "$" doubled, or the Collector would expand it.
    expect(collector.processors["resource/host-web-1"]!.attributes).toEqual([
      { key: "host", value: "web-1", action: "upsert" },
      { key: "region", value: "eu-$$west", action: "upsert" },
    ]);
  });

  it("every other pipeline drops a `host` its sender claims", () => {
    const others = Object.entries(collector.service.pipelines).filter(([name]) => !name.includes("/host-"));
    expect(others.length).toBeGreaterThan(2);
    for (const [name, pipeline] of others) expect(pipeline.processors, name).toContain("resource/unattributed");
    expect(collector.processors["resource/unattributed"]!.attributes).toEqual([{ key: "host", action: "delete" }]);
  });

  it("the proxy routes /agents/<host>/ to that host's receiver, and answers 401 itself to a request without a bearer token", () => {
    const routes = (caddyConfig(model) as { apps: { http: { servers: { exposure: { routes: Array<{ match?: Array<{ path: string[] }>; handle: unknown[] }> } } } } }).apps.http.servers.exposure.routes;
    const route = routes.find((candidate) => candidate.match?.[0]?.path[0] === "/agents/db-1/*")!;
    const text = JSON.stringify(route);
    expect(text).toContain('"strip_path_prefix":"/agents/db-1"');
    expect(text).toContain(`"dial":"otel-collector:${AGENT_RECEIVER_BASE_PORT + 1}"`);
    expect(text).toContain('"status_code":401');
  });

  it("Prometheus keeps `host` and the hosts' labels of what agents ship, and AgentHostDown watches each host", () => {
    const bundle = renderBundle(model);
    const prometheus = parse(bundle.get("prometheus/prometheus.yml")!) as { otlp: { promote_resource_attributes: string[] } };
    expect(prometheus.otlp.promote_resource_attributes).toEqual(expect.arrayContaining(["host", "region"]));
    const rules = parse(bundle.get("prometheus/rules/hosts.yml")!) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    expect(rules.groups[0]!.rules.map((rule) => rule.expr)).toEqual([`absent_over_time(up{host="web-1"}[40s])`, `absent_over_time(up{host="db-1"}[40s])`]);
  });

  it("no host declared: nothing of the above", () => {
    const plain = renderBundle(modelOf({ components: { proxy: { enabled: true } } }));
    expect(plain.get("otelcol/config.yaml")).not.toMatch(/\/host-|resource\/unattributed/);
    expect(plain.has("prometheus/rules/hosts.yml")).toBe(false);
  });
});

describe("the agent bundle of a host", () => {
  const model = modelOf(config);
  const bundle = renderAgentBundle(model, model.config.hosts[0]!);
  const compose = parse(bundle.get(AGENT_BUNDLE_PATHS.compose)!) as { name: string; services: Record<string, { ports?: string[]; environment?: Record<string, string> }> };
  const collector = parse(bundle.get(AGENT_BUNDLE_PATHS.collector)!) as Collector & { receivers: { prometheus: { config: { scrape_configs: Array<{ job_name: string; relabel_configs: Array<{ target_label: string; replacement: string }> }> } } } };

  it("runs the host's exporters and a Collector, publishing only on 127.0.0.1", () => {
    expect(compose.name).toBe("obs-agent");
    expect(Object.keys(compose.services).sort()).toEqual(["cadvisor", "node-exporter", "otel-collector"]);
    const ports = Object.values(compose.services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it("the token comes from the environment (the agent's .env), never from a file of the bundle", () => {
    expect(compose.services["otel-collector"]!.environment).toEqual({ [AGENT_TOKEN_ENV]: `\${${AGENT_TOKEN_ENV}:-}` });
    expect(collector.extensions["bearertokenauth/central"]!.token).toBe(`\${env:${AGENT_TOKEN_ENV}}`);
  });

  it("ships every signal to its route on the proxy with that token, and names every scraped target after the host", () => {
    for (const exporter of Object.values(collector.exporters)) {
      expect(exporter.endpoint).toBe("https://obs.example.com:8443/agents/web-1");
      expect(exporter.auth!.authenticator).toBe("bearertokenauth/central");
    }
    const jobs = collector.receivers.prometheus.config.scrape_configs;
    expect(jobs.map((job) => job.job_name)).toEqual(["node-exporter", "cadvisor", "otel-collector"]);
    for (const job of jobs) expect(job.relabel_configs).toEqual([{ target_label: "instance", replacement: "web-1" }]);
    for (const pipeline of Object.values(collector.service.pipelines)) expect(pipeline.exporters[0]).toMatch(/^otlp_http\/central/);
  });

  it("applies the central stack's log parsing, drop and scrub rules before shipping", () => {
    const central = parse(renderBundle(model).get("otelcol/config.yaml")!) as Collector;
    for (const name of ["transform/containers", "transform/otlp", "groupbyattrs/labels"]) expect(collector.processors[name], name).toEqual(central.processors[name]);
    expect(collector.service.pipelines["logs/containers"]!.processors).toEqual(central.service.pipelines["logs/containers"]!.processors.filter((name) => name !== "resource/unattributed"));
  });
});
