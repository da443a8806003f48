import { wgetProbe, type ComponentDefinition } from "../component-definition.ts";

export const alertmanager = {
  title: "Alertmanager",
  image: { repository: "prom/alertmanager", tag: "v0.34.2" },
  service: "alertmanager",
  port: 9093,
  selfMetricsPort: 9093,
  // docs/benchmarks.md "Footprint": 15 MiB idle; twice that, at least 128m as it holds alerts and silences.
  memory: "128m",
  enabledByDefault: true,
  settings: {},
  extraPorts: [],
  requires: ["prometheus"],
  container: {
    command: [
      "--config.file=/etc/alertmanager/alertmanager.yml",
      "--storage.path=/alertmanager",
      // A single instance: no gossip port, no cluster peers.
      "--cluster.listen-address=",
    ],
    volumes: ["alertmanager-data:/alertmanager"],
    healthcheck: wgetProbe(9093, "/-/ready"),
    dependsOnHealthy: [],
    // The smoke check's webhook sink listens on the host's Docker bridge.
    hostGateway: true,
    readOnlyRootFilesystem: true,
  },
  configMounts: [{ dir: "alertmanager", target: "/etc/alertmanager", apply: { action: "reload", successMetric: "alertmanager_config_last_reload" } }],
  rulePacks: ["alertmanager"],
} satisfies ComponentDefinition;
