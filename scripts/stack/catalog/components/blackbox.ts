import { wgetProbe, type ComponentDefinition } from "../component-definition.ts";

export const blackbox = {
  title: "Blackbox exporter",
  image: { repository: "prom/blackbox-exporter", tag: "v0.28.0" },
  service: "blackbox",
  port: 9115,
  selfMetricsPort: 9115,
  // docs/benchmarks.md "Footprint": 13 MiB idle probing the demo; twice that, at least 64m (stateless).
  memory: "64m",
  enabledByDefault: true,
  settings: {},
  // Its probes are only read through Prometheus's scrapes.
  extraPorts: [],
  requires: ["prometheus"],
  container: {
    command: ["--config.file=/etc/blackbox_exporter/blackbox.yml"],
    volumes: [],
    healthcheck: wgetProbe(9115, "/-/healthy"),
    dependsOnHealthy: [],
    // Probes of services on the host go through the Docker bridge.
    hostGateway: true,
    readOnlyRootFilesystem: true,
  },
  configMounts: [
    { dir: "blackbox", target: "/etc/blackbox_exporter", apply: { action: "reload", successMetric: "blackbox_exporter_config_last_reload" } },
  ],
  rulePacks: ["synthetics"],
} satisfies ComponentDefinition;
