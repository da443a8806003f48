import { z } from "zod";
import { wgetProbe, type ComponentDefinition } from "../component-definition.ts";

export const grafana = {
  title: "Grafana",
  image: { repository: "grafana/grafana", tag: "13.0.1" },
  service: "grafana",
  port: 3000,
  selfMetricsPort: 3000,
  memory: "512m",
  enabledByDefault: true,
  settings: {
    adminUser: z
      .string()
      .min(1)
      .default("admin")
      .describe("Admin login. The password is generated on first run into .env (mode 0600); it never has a default."),
  },
  extraPorts: [],
  requires: [],
  container: {
    command: [],
    volumes: ["grafana-data:/var/lib/grafana"],
    // Alpine-based: busybox wget.
    healthcheck: wgetProbe(3000, "/api/health"),
    dependsOnHealthy: ["prometheus", "loki", "jaeger"],
    hostGateway: false,
    // Not booted here (its module is AGPL), so a read-only root is not proven for it.
    readOnlyRootFilesystem: false,
  },
  configMounts: [
    { dir: "grafana/provisioning", target: "/etc/grafana/provisioning", apply: { action: "restart" } },
    { dir: "grafana/dashboards", target: "/etc/grafana/dashboards", apply: { action: "none", because: "the dashboard provider re-reads its folder" } },
  ],
  rulePacks: [],
} satisfies ComponentDefinition;
