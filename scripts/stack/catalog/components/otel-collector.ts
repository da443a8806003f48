import { port } from "../../value-types.ts";
import type { ComponentDefinition } from "../component-definition.ts";

/**
 * The Collector's state: its persistent sending queues (file_storage) live below it, on a volume of
 * their own, so that what it acknowledged survives its restart and a recreated container.
 */
export const COLLECTOR_STATE_DIR = "/var/lib/otelcol";
/** The persistent queues' directory (file_storage), made the image user's before the first start. */
export const COLLECTOR_QUEUE_DIR = `${COLLECTOR_STATE_DIR}/file_storage`;

/**
 * The OTLP receivers the proxy routes remote senders to, on the stack's network only (never
 * published): they require a bearer token, which local senders on the loopback ports need not send.
 */
export const COLLECTOR_REMOTE_OTLP_GRPC_PORT = 14317;
export const COLLECTOR_REMOTE_OTLP_HTTP_PORT = 14318;

export const otelCollector = {
  title: "OpenTelemetry Collector",
  // 0.161.0: the newest release whose modules the Go module proxy serves in full (see docs/decisions.md).
  image: { repository: "otel/opentelemetry-collector-contrib", tag: "0.161.0" },
  service: "otel-collector",
  port: 4318,
  selfMetricsPort: 8888,
  memory: "512m",
  enabledByDefault: true,
  settings: {
    grpcPort: port.default(4317).describe("Host port of the OTLP/gRPC receiver (`port` is OTLP/HTTP)."),
    fluentPort: port
      .default(24224)
      .describe(
        'Host port of the Fluent Forward receiver that Docker\'s fluentd log driver sends container logs to (logs.collector "otelcol"). Published on 127.0.0.1 whatever bindAddress says: the Docker daemon on this host is its only client, and the protocol has no authentication.',
      ),
  },
  extraPorts: [{ setting: "grpcPort", container: 4317, protocols: ["tcp"] }],
  requires: [],
  container: {
    command: ["--config=/etc/otelcol-contrib/config.yaml"],
    volumes: [`otel-collector-data:${COLLECTOR_STATE_DIR}`],
    // The official image (FROM scratch, user 10001) has nothing at the volume's path, so the volume
    // is root's: `up` makes the queue directory inside it 10001's before the Collector starts.
    ownedDirs: [{ path: COLLECTOR_QUEUE_DIR, uid: 10001 }],
    // FROM scratch: nothing inside can call health_check on :13133, so Compose only knows "running";
    // `npm run smoke` proves it works end to end (OTLP in, Jaeger and Prometheus out).
    healthcheck: null,
    dependsOnHealthy: ["jaeger", "prometheus", "loki"],
    // An existing Loki (logs.loki.url) may run on the host.
    hostGateway: true,
    readOnlyRootFilesystem: true,
  },
  configMounts: [{ dir: "otelcol", target: "/etc/otelcol-contrib", apply: { action: "restart" } }],
  rulePacks: ["otelcol"],
} satisfies ComponentDefinition;
