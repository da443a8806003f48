import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { BUNDLE_PATHS, renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { buildPlan, type PlannedService } from "../../../scripts/stack/render/plan.ts";
import type { StackConfigInput } from "../../../scripts/stack/index.ts";
import { modelOf } from "../../helpers/parse.ts";

const byName = (services: PlannedService[]) => new Map(services.map((service) => [service.name, service]));

describe("plan.json", () => {
  const plan = buildPlan(modelOf({}));
  const services = byName(plan.services);

  it("lists the default stack's services in compose.yaml's order, with their components and pinned images", () => {
    expect(plan.project).toBe("obs");
    expect(plan.services.map((s) => [s.name, s.component])).toEqual([
      ["prometheus", "prometheus"],
      ["alertmanager", "alertmanager"],
      ["grafana", "grafana"],
      ["loki", "loki"],
      ["jaeger", "jaeger"],
      ["otel-collector", "otelCollector"],
      ["node-exporter", "nodeExporter"],
      ["cadvisor", "cadvisor"],
      ["blackbox", "blackbox"],
      ["pushgateway", "pushgateway"],
      ["volume-exporter", null],
    ]);
    for (const service of plan.services) expect(service.image, service.name).toMatch(/^[^:]+:[^:]+$/);
  });

  it("agrees with compose.yaml, rendered from the same service list", () => {
    const bundle = renderBundle(modelOf({ demo: { enabled: true } }));
    const compose = parse(bundle.get(BUNDLE_PATHS.compose)!) as { name: string; services: Record<string, { image: string; healthcheck?: unknown }> };
    const written = JSON.parse(bundle.get(BUNDLE_PATHS.plan)!) as typeof plan;
    expect(written.project).toBe(compose.name);
    expect(written.services.map((s) => [s.name, s.image, s.healthcheck])).toEqual(
      Object.entries(compose.services).map(([name, service]) => [name, service.image, service.healthcheck !== undefined]),
    );
  });

  it("publishes on 127.0.0.1 by default, the Collector's Fluent Forward port included", () => {
    expect(services.get("grafana")!.ports).toEqual([{ address: "127.0.0.1", host: 3000, container: 3000 }]);
    expect(services.get("otel-collector")!.ports).toEqual([
      { address: "127.0.0.1", host: 4318, container: 4318 },
      { address: "127.0.0.1", host: 4317, container: 4317 },
      { address: "127.0.0.1", host: 24224, container: 24224 },
    ]);
    // In the host's network namespace node-exporter publishes nothing; its URL is its listen address.
    expect(services.get("node-exporter")!.ports).toEqual([]);
    for (const port of plan.services.flatMap((s) => s.ports)) expect(port.address).toBe("127.0.0.1");
  });

  it("gives each component the URL a person opens and flags the services without a healthcheck", () => {
    expect(services.get("grafana")!.url).toBe("http://127.0.0.1:3000");
    expect(services.get("node-exporter")!.url).toBe("http://127.0.0.1:9100");
    expect(plan.services.filter((s) => !s.healthcheck).map((s) => s.name)).toEqual(["otel-collector"]);
  });

  it("lists exporters and the demo with no component, no URL and no config to apply", () => {
    const config: StackConfigInput = {
      bindAddress: "::",
      demo: { enabled: true },
      components: { otelCollector: { fluentPort: 24300 } },
      exporters: { postgres: [{ name: "main", dsnEnv: "PG_DSN" }], redis: [{ name: "cache", address: "redis:6379", passwordEnv: "REDIS_PW" }] },
    };
    const extended = buildPlan(modelOf(config));
    expect(extended.services.slice(-3)).toEqual([
      { name: "postgres-exporter-main", component: null, image: expect.stringMatching(/postgres-exporter:v/), ports: [], url: null, healthcheck: true, configs: [], volumes: [], ownedDirs: [] },
      // redis_exporter is FROM scratch: nothing inside can probe it.
      { name: "redis-exporter-cache", component: null, image: expect.stringMatching(/redis_exporter:v/), ports: [], url: null, healthcheck: false, configs: [], volumes: [], ownedDirs: [] },
      { name: "demo", component: null, image: expect.stringMatching(/demo:/), ports: [], url: null, healthcheck: true, configs: [], volumes: [], ownedDirs: [] },
    ]);
    const collector = byName(extended.services).get("otel-collector")!;
    // A wildcard bind is opened as localhost, and Fluent Forward stays on loopback whatever the bind.
    expect(collector.url).toBe("http://localhost:4318");
    expect(collector.ports).toEqual([
      { address: "::", host: 4318, container: 4318 },
      { address: "::", host: 4317, container: 4317 },
      { address: "127.0.0.1", host: 24300, container: 24224 },
    ]);
  });

  it("is written as pretty, deterministic JSON ending in a newline", () => {
    const first = renderBundle(modelOf({})).get(BUNDLE_PATHS.plan)!;
    expect(first).toBe(`${JSON.stringify(plan, null, 2)}\n`);
    expect(renderBundle(modelOf({})).get(BUNDLE_PATHS.plan)).toBe(first);
  });
});
