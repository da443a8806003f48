import { wgetProbe, type ComponentDefinition } from "../component-definition.ts";

export const pushgateway = {
  title: "Pushgateway",
  image: { repository: "prom/pushgateway", tag: "v1.11.1" },
  service: "pushgateway",
  port: 9091,
  selfMetricsPort: 9091,
  memory: "128m",
  enabledByDefault: true,
  settings: {},
  extraPorts: [],
  requires: [],
  container: {
    command: [],
    volumes: [],
    healthcheck: wgetProbe(9091, "/-/healthy"),
    dependsOnHealthy: [],
    hostGateway: false,
    readOnlyRootFilesystem: true,
  },
  configMounts: [],
  rulePacks: [],
} satisfies ComponentDefinition;
