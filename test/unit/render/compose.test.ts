import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { renderCompose } from "../../../scripts/stack/render/compose.ts";
import { modelOf } from "../../helpers/parse.ts";

interface ComposeService {
  image: string;
  restart?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  network_mode?: string;
  pid?: string;
  extra_hosts?: string[];
  healthcheck?: { test: string[] };
  deploy?: { resources?: { limits?: { memory?: string } } };
  cap_drop?: string[];
  security_opt?: string[];
  secrets?: Array<{ source: string; target: string; uid: string; gid: string; mode: number | string }>;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  logging?: { driver: string; options: Record<string, string> };
}
interface ComposeFile {
  name: string;
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
  secrets?: Record<string, { environment: string }>;
}

const compose = (config: Parameters<typeof modelOf>[0]): ComposeFile =>
  parse(renderBundle(modelOf(config)).get("compose.yaml")!) as ComposeFile;

/** Upstream images with no shell or HTTP client inside: health is probed from outside instead. */
const NO_HEALTHCHECK_POSSIBLE = new Set(["otel-collector"]);

describe("compose.yaml", () => {
  const file = compose({});

  it("publishes every port on 127.0.0.1 by default", () => {
    const ports = Object.values(file.services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(5);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it("lets a service in the host's network publish nothing and listen on no wildcard address by default", () => {
    const hostNetworked = Object.entries(file.services).filter(([, service]) => service.network_mode === "host");
    expect(hostNetworked.map(([name]) => name)).toEqual(["node-exporter"]);
    for (const [name, service] of hostNetworked) {
      expect(service.ports, name).toBeUndefined();
      const listen = (service.command ?? []).filter((arg) => arg.startsWith("--web.listen-address="));
      expect(listen, name).toEqual(["--web.listen-address=127.0.0.1:9100", "--web.listen-address=host.docker.internal:9100"]);
    }
  });
  it("gives every service a pinned image, restart policy, memory limit and no-new-privileges", () => {
    for (const [name, service] of Object.entries(file.services)) {
      expect(service.image, name).toMatch(/:[^:]+$/);
      expect(service.image, name).not.toMatch(/:latest$/);
      expect(service.restart, name).toBe("unless-stopped");
      expect(service.deploy?.resources?.limits?.memory, name).toMatch(/^\d+[kmg]$/);
      expect(service.security_opt, name).toContain("no-new-privileges:true");
    }
  });

  it("gives every long-running service a healthcheck, except images that cannot run one", () => {
    for (const [name, service] of Object.entries(file.services)) {
      if (NO_HEALTHCHECK_POSSIBLE.has(name)) expect(service.healthcheck, name).toBeUndefined();
      else expect(service.healthcheck?.test?.[0], name).toBe("CMD");
    }
  });

  it("drops all capabilities and runs nothing privileged; only cAdvisor keeps SYSLOG for OOM events", () => {
    for (const [name, service] of Object.entries(file.services)) {
      expect(service.cap_drop, name).toEqual(["ALL"]);
      expect((service as { privileged?: boolean }).privileged, name).toBeUndefined();
      expect((service as { cap_add?: string[] }).cap_add, name).toEqual(name === "cadvisor" ? ["SYSLOG"] : undefined);
    }
  });

  it("passes exporter secrets as environment references, never as values, and declares no unused secret", () => {
    const withExporters = compose({
      exporters: { postgres: [{ name: "main", dsnEnv: "PG_DSN" }], redis: [{ name: "cache", address: "redis:6379", passwordEnv: "REDIS_PW" }] },
    });
    expect(withExporters.services["postgres-exporter-main"]?.environment?.DATA_SOURCE_NAME).toBe("${PG_DSN:-}");
    expect(withExporters.services["redis-exporter-cache"]?.environment?.REDIS_PASSWORD).toBe("${REDIS_PW:-}");
    expect(Object.keys(withExporters.secrets ?? {})).toEqual(["grafana_admin_password"]);
  });

  it("never writes a secret value, only a reference to an environment variable", () => {
    expect(file.secrets).toEqual({ grafana_admin_password: { environment: "GRAFANA_ADMIN_PASSWORD" } });
    expect(file.services.grafana?.environment?.GF_SECURITY_ADMIN_PASSWORD).toBe("$$__file{/run/secrets/grafana_admin_password}");
    expect(file.services.grafana?.environment?.GF_AUTH_ANONYMOUS_ENABLED).toBe("false");
  });

  it("waits for healthy dependencies", () => {
    expect(file.services["otel-collector"]?.depends_on).toEqual({
      jaeger: { condition: "service_healthy" },
      prometheus: { condition: "service_healthy" },
      loki: { condition: "service_healthy" },
    });
    expect(Object.keys(file.services.grafana?.depends_on ?? {})).toEqual(["prometheus", "loki", "jaeger"]);
  });

  it("keeps data in named volumes", () => {
    expect(Object.keys(file.volumes).sort()).toEqual(
      ["alertmanager-data", "grafana-data", "jaeger-data", "loki-data", "otel-collector-data", "prometheus-data"].sort(),
    );
  });

  it("leaves out disabled components and what depends on them", () => {
    const small = compose({ components: { loki: { enabled: false }, promtail: { enabled: false }, grafana: { enabled: false } } });
    expect(Object.keys(small.services)).not.toContain("loki");
    expect(Object.keys(small.services)).not.toContain("grafana");
    expect(small.volumes["loki-data"]).toBeUndefined();
    expect(small.secrets).toBeUndefined();
  });

  it("ships every container's logs through the Collector's Fluent Forward port, except the Collector's own", () => {
    const collector = file.services["otel-collector"]!;
    expect(collector.ports).toContain("127.0.0.1:24224:24224");
    expect(collector.logging).toBeUndefined();
    for (const [name, service] of Object.entries(file.services).filter(([name]) => name !== "otel-collector")) {
      expect(service.logging, name).toEqual({
        driver: "fluentd",
        options: {
          "fluentd-address": "tcp://127.0.0.1:24224",
          "fluentd-async": "true",
          "fluentd-sub-second-precision": "true",
          labels: "io.obs-stack.service,io.obs-stack.category,com.docker.compose.service,com.docker.compose.project",
          tag: "{{.Name}}",
        },
      });
    }
  });

  it("publishes the Fluent Forward port on loopback only, whatever bindAddress exposes", () => {
    const exposed = compose({ demo: { enabled: true }, bindAddress: "0.0.0.0", components: { otelCollector: { fluentPort: 24300 } } });
    expect(exposed.services["otel-collector"]?.ports).toEqual(["0.0.0.0:4318:4318", "0.0.0.0:4317:4317", "127.0.0.1:24300:24224"]);
    expect(exposed.services.demo?.logging?.options["fluentd-address"]).toBe("tcp://127.0.0.1:24300");
  });

  it("leaves the engine's log driver alone when a dedicated agent or no Loki takes the logs", () => {
    for (const config of [{ logs: { collector: "promtail" as const } }, { components: { loki: { enabled: false } } }]) {
      const services = compose(config).services;
      expect(Object.values(services).every((service) => service.logging === undefined)).toBe(true);
      expect(services["otel-collector"]?.ports).not.toContain("127.0.0.1:24224:24224");
    }
  });

  it("publishes on the configured bind address, bracketing IPv6", () => {
    const custom = compose({ bindAddress: "::1", components: { grafana: { bindAddress: "0.0.0.0", port: 3300 } } });
    expect(custom.services.grafana?.ports).toEqual(["0.0.0.0:3300:3000"]);
    expect(custom.services.prometheus?.ports).toEqual(["[::1]:9090:9090"]);
  });

  it("mounts receiver secrets into Alertmanager as files", () => {
    const withReceivers = compose({
      alerting: { receivers: [{ name: "chat", slack: { webhookUrlEnv: "SLACK_URL" } }] },
    });
    // Short form on purpose: uid/gid make Docker 20.10 look the image user up on the host.
    expect(withReceivers.services.alertmanager?.secrets).toEqual(["slack_url"]);
    expect(withReceivers.secrets?.slack_url).toEqual({ environment: "SLACK_URL" });
  });
});

describe("node-exporter", () => {
  const nodeExporter = (config: Parameters<typeof modelOf>[0]) => compose(config).services["node-exporter"]!;
  const listenAddresses = (service: ComposeService) =>
    (service.command ?? []).filter((arg) => arg.startsWith("--web.listen-address=")).map((arg) => arg.split("=")[1]);

  it("runs in the host's network and PID namespaces by default, reading the host's root filesystem", () => {
    const service = nodeExporter({});
    expect(service.network_mode).toBe("host");
    expect(service.pid).toBe("host");
    expect(service.command?.[0]).toBe("--path.rootfs=/host");
    expect(service.volumes).toEqual(["/:/host:ro"]);
    // host.docker.internal in its own /etc/hosts is what its second listen address resolves.
    expect(service.extra_hosts).toEqual(["host.docker.internal:host-gateway"]);
  });

  it("probes its bindAddress listener by IP", () => {
    expect(nodeExporter({}).healthcheck?.test).toEqual(["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9100/metrics"]);
    expect(nodeExporter({ components: { nodeExporter: { bindAddress: "::1", port: 9200 } } }).healthcheck?.test).toContain("http://[::1]:9200/metrics");
  });

  it("listens on the configured port and bind address, bracketing IPv6, and on the bridge gateway", () => {
    expect(listenAddresses(nodeExporter({ bindAddress: "::1", components: { nodeExporter: { port: 9200 } } }))).toEqual([
      "[::1]:9200",
      "host.docker.internal:9200",
    ]);
  });

  it("listens only on a wildcard the user asks for, which covers the gateway too", () => {
    const open = nodeExporter({ components: { nodeExporter: { bindAddress: "0.0.0.0" } } });
    expect(listenAddresses(open)).toEqual(["0.0.0.0:9100"]);
    expect(open.healthcheck?.test).toContain("http://127.0.0.1:9100/metrics");
    expect(listenAddresses(nodeExporter({ bindAddress: "::" }))).toEqual(["[::]:9100"]);
  });

  it("with hostNetwork false stays on the stack's network, published like the other components", () => {
    const bridged = nodeExporter({ components: { nodeExporter: { hostNetwork: false } } });
    expect(bridged.network_mode).toBeUndefined();
    expect(bridged.extra_hosts).toBeUndefined();
    expect(bridged.ports).toEqual(["127.0.0.1:9100:9100"]);
    expect(listenAddresses(bridged)).toEqual([]);
    expect(bridged.pid).toBe("host");
    expect(bridged.healthcheck?.test).toEqual(["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9100/metrics"]);
  });
});

describe("Compose interpolation", () => {
  it("leaves only $$ and the secrets' ${NAME:-} for Compose to read", () => {
    const text = renderBundle(modelOf({ exporters: { postgres: [{ name: "main", dsnEnv: "PG_DSN" }] } })).get("compose.yaml")!;
    expect(text.replaceAll("$$", "").match(/\$\S*/g)).toEqual(['${PG_DSN:-}"']);
  });

  it("refuses to render a config value that would be interpolated, should one get past the schema", () => {
    const model = modelOf({});
    const tampered = { ...model, config: { ...model.config, components: { ...model.config.components, grafana: { ...model.config.components.grafana, adminUser: "a$b" } } } };
    expect(() => renderCompose(tampered)).toThrow(/compose.yaml would interpolate "\$b/);
  });
});
