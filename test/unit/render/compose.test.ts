import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderBundle } from "../../../scripts/stack/render/bundle.ts";
import { modelOf } from "../../helpers/parse.ts";

interface ComposeService {
  image: string;
  restart?: string;
  ports?: string[];
  healthcheck?: { test: string[] };
  deploy?: { resources?: { limits?: { memory?: string } } };
  cap_drop?: string[];
  security_opt?: string[];
  secrets?: Array<{ source: string; target: string; uid: string; gid: string; mode: number | string }>;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
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
    expect(ports.length).toBeGreaterThan(10);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
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
    expect(file.services.promtail?.depends_on).toEqual({ loki: { condition: "service_healthy" } });
    expect(Object.keys(file.services.grafana?.depends_on ?? {})).toEqual(["prometheus", "loki", "jaeger"]);
  });

  it("keeps data in named volumes", () => {
    expect(Object.keys(file.volumes).sort()).toEqual(
      ["alertmanager-data", "grafana-data", "jaeger-data", "loki-data", "prometheus-data", "promtail-positions"].sort(),
    );
  });

  it("leaves out disabled components and what depends on them", () => {
    const small = compose({ components: { loki: { enabled: false }, promtail: { enabled: false }, grafana: { enabled: false } } });
    expect(Object.keys(small.services)).not.toContain("loki");
    expect(Object.keys(small.services)).not.toContain("grafana");
    expect(small.volumes["loki-data"]).toBeUndefined();
    expect(small.secrets).toBeUndefined();
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
