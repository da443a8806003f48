import { duration } from "../../value-types.ts";
import { wgetProbe, type ComponentDefinition } from "../component-definition.ts";
import { guardedEntrypoint, type StartGuard } from "../start-guard.ts";

// The image runs as 10001 and declares VOLUME /tmp; a named volume there inherits /tmp's
// world-writable mode, where one at a new path would be root-owned and unwritable.
const DATA_VOLUME = "jaeger-data:/tmp";

/**
 * Badger maps its files into memory: started on a full volume, its first write to them is a
 * SIGBUS. 512 MiB: Badger's default memtables are 64 MiB files, up to 5 of them, beside the value
 * log it appends to.
 */
export const JAEGER_START_GUARD: StartGuard = { binary: "/cmd/jaeger/jaeger-linux", volume: DATA_VOLUME, floorMiB: 512 };

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
    entrypoint: guardedEntrypoint(JAEGER_START_GUARD),
    command: ["--config=/etc/jaeger/config.yaml"],
    volumes: [DATA_VOLUME],
    healthcheck: wgetProbe(13133, "/status"),
    dependsOnHealthy: [],
    hostGateway: false,
    readOnlyRootFilesystem: true,
  },
  configMounts: [{ dir: "jaeger", target: "/etc/jaeger", apply: { action: "restart" } }],
  rulePacks: [],
} satisfies ComponentDefinition;
