import { z } from "zod";
import { duration, size } from "../../value-types.ts";
import { wgetProbe, type ComponentDefinition } from "../component-definition.ts";
import { guardedEntrypoint, type StartGuard } from "../start-guard.ts";

const DATA_VOLUME = "prometheus-data:/prometheus";

/**
 * Restarted on a full volume, its WAL repair fails and it exits. 256 MiB: two WAL segments
 * (128 MiB each at most), the one it repairs into and the next.
 */
export const PROMETHEUS_START_GUARD: StartGuard = { binary: "/bin/prometheus", volume: DATA_VOLUME, floorMiB: 256 };

export const prometheus = {
  title: "Prometheus",
  image: { repository: "prom/prometheus", tag: "v3.16.0" },
  service: "prometheus",
  port: 9090,
  selfMetricsPort: 9090,
  memory: "2g",
  enabledByDefault: true,
  settings: {
    retention: z
      .strictObject({
        time: duration.default("15d").describe("Delete samples older than this."),
        size: size.optional().describe("Also delete the oldest blocks once the TSDB is larger than this."),
      })
      .prefault({}),
    scrapeInterval: duration.optional().describe("Omitted: derived from alerting.latencyBudget (15s with the default budgets)."),
    evaluationInterval: duration.optional().describe("Omitted: derived from alerting.latencyBudget (15s with the default budgets)."),
  },
  extraPorts: [],
  requires: [],
  container: {
    entrypoint: guardedEntrypoint(PROMETHEUS_START_GUARD),
    // The renderer adds the retention flags from the config.
    command: [
      "--config.file=/etc/prometheus/prometheus.yml",
      "--storage.tsdb.path=/prometheus",
      "--web.enable-remote-write-receiver",
      "--web.enable-otlp-receiver",
      "--enable-feature=exemplar-storage",
    ],
    volumes: [DATA_VOLUME],
    healthcheck: wgetProbe(9090, "/-/ready"),
    dependsOnHealthy: [],
    hostGateway: true,
    readOnlyRootFilesystem: true,
  },
  configMounts: [{ dir: "prometheus", target: "/etc/prometheus", apply: { action: "reload", successMetric: "prometheus_config_last_reload" } }],
  rulePacks: ["stack", "prometheus-tsdb"],
} satisfies ComponentDefinition;
