import { duration } from "../../value-types.ts";
import { wgetProbe, type ComponentDefinition } from "../component-definition.ts";

export const jaeger = {
  title: "Jaeger",
  image: { repository: "jaegertracing/jaeger", tag: "2.13.0" },
  service: "jaeger",
  port: 16686,
  selfMetricsPort: 8888,
  memory: "1g",
  enabledByDefault: true,
  settings: {
    retention: duration.default("7d").describe("How long traces are kept (Badger TTL)."),
  },
  extraPorts: [],
  requires: [],
  container: {
    command: ["--config=/etc/jaeger/config.yaml"],
    // The image runs as 10001 and declares VOLUME /tmp; a named volume there inherits /tmp's
    // world-writable mode, where one at a new path would be root-owned and unwritable.
    volumes: ["jaeger-data:/tmp"],
    healthcheck: wgetProbe(13133, "/status"),
    dependsOnHealthy: [],
    hostGateway: false,
    readOnlyRootFilesystem: true,
  },
  configMounts: [{ dir: "jaeger", target: "/etc/jaeger", apply: { action: "restart" } }],
  rulePacks: [],
} satisfies ComponentDefinition;
