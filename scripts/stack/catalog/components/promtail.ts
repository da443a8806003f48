import { bashHttpProbe, DOCKER_SOCKET, type ComponentDefinition } from "../component-definition.ts";

export const promtail = {
  title: "Promtail",
  note: 'End of life upstream since 2026-03-02; 3.6.x is its last release line. Runs with `logs.collector: "promtail"`.',
  image: { repository: "grafana/promtail", tag: "3.6.8" },
  service: "promtail",
  port: 9080,
  selfMetricsPort: 9080,
  memory: "256m",
  enabledByDefault: true,
  settings: {},
  extraPorts: [],
  requires: [],
  container: {
    command: ["-config.file=/etc/promtail/promtail.yml"],
    volumes: ["promtail-positions:/var/lib/promtail", `${DOCKER_SOCKET}:${DOCKER_SOCKET}:ro`],
    healthcheck: bashHttpProbe(9080, "/ready"),
    dependsOnHealthy: ["loki"],
    hostGateway: false,
    // Not booted here (its module is AGPL), so a read-only root is not proven for it.
    readOnlyRootFilesystem: false,
  },
  configMounts: [{ dir: "promtail", target: "/etc/promtail", apply: { action: "restart" } }],
  rulePacks: ["promtail"],
} satisfies ComponentDefinition;
