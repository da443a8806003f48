import { port } from "../../value-types.ts";
import { wgetProbe, type ComponentDefinition } from "../component-definition.ts";

const WEB_PORT = 9102;
const INGEST_PORT = 9125;

/** For applications instrumented with StatsD: it takes their UDP/TCP lines and Prometheus scrapes the result. */
export const statsdExporter = {
  title: "StatsD exporter",
  note: "Opt-in (`components.statsdExporter.enabled: true`): StatsD metrics from applications, scraped by Prometheus.",
  image: { repository: "prom/statsd-exporter", tag: "v0.31.0" },
  service: "statsd-exporter",
  port: WEB_PORT,
  selfMetricsPort: WEB_PORT,
  memory: "128m",
  enabledByDefault: false,
  settings: {
    ingestPort: port.default(INGEST_PORT).describe("Host port applications send StatsD lines to, over UDP and TCP (`port` serves its metrics)."),
  },
  extraPorts: [{ setting: "ingestPort", container: INGEST_PORT, protocols: ["udp", "tcp"] }],
  requires: ["prometheus"],
  container: {
    command: [`--web.listen-address=:${WEB_PORT}`, `--statsd.listen-udp=:${INGEST_PORT}`, `--statsd.listen-tcp=:${INGEST_PORT}`],
    volumes: [],
    // Busybox-based, like the other prom/* images.
    healthcheck: wgetProbe(WEB_PORT, "/-/healthy"),
    dependsOnHealthy: [],
    hostGateway: false,
    readOnlyRootFilesystem: true,
  },
  configMounts: [],
  rulePacks: [],
} satisfies ComponentDefinition;
