import { duration } from "../../value-types.ts";
import type { ComponentDefinition } from "../component-definition.ts";

export const loki = {
  title: "Loki",
  image: { repository: "grafana/loki", tag: "3.7.8" },
  service: "loki",
  port: 3100,
  selfMetricsPort: 3100,
  memory: "1g",
  enabledByDefault: true,
  settings: {
    retention: duration.default("31d").describe("Default log retention; per-category periods are in logs.retention."),
  },
  extraPorts: [],
  requires: [],
  container: {
    command: ["-config.file=/etc/loki/loki.yml"],
    volumes: ["loki-data:/loki"],
    // Distroless: no shell or wget, but the binary checks its own readiness.
    healthcheck: ["CMD", "/usr/bin/loki", "-health"],
    dependsOnHealthy: [],
    hostGateway: false,
    // Not booted here (its module is AGPL), so a read-only root is not proven for it.
    readOnlyRootFilesystem: false,
  },
  configMounts: [{ dir: "loki", target: "/etc/loki", apply: { action: "restart" } }],
  rulePacks: ["loki"],
} satisfies ComponentDefinition;
