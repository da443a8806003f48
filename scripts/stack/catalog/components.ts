/**
 * The component catalog: every container the stack can run, as data. This is the one place where
 * images are pinned; `images` in stack.config.ts overrides the reference per component (private
 * mirrors, air-gapped sites, the testbed's stand-ins).
 *
 * Healthchecks only use what the pinned upstream image contains (facts in DESIGN.md "Components and images"):
 * prom/* are busybox (wget), grafana is alpine (busybox wget), loki is distroless (its own -health flag),
 * promtail and alloy are ubuntu (bash, no wget), jaeger is alpine (wget), the collector and redis_exporter
 * are FROM scratch (no healthcheck possible from inside).
 */
export const COMPONENT_NAMES = [
  "prometheus",
  "alertmanager",
  "grafana",
  "loki",
  "promtail",
  "alloy",
  "jaeger",
  "otelCollector",
  "nodeExporter",
  "cadvisor",
  "blackbox",
  "pushgateway",
] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

/** Components that exist only to ship container logs: each runs only when `logs.collector` names it. */
export const LOG_AGENTS = ["promtail", "alloy"] as const satisfies readonly ComponentName[];
export type LogAgent = (typeof LOG_AGENTS)[number];
export const isLogAgent = (name: ComponentName): name is LogAgent => (LOG_AGENTS as readonly ComponentName[]).includes(name);

/** `logs.collector`: the OpenTelemetry Collector (already in the stack for traces and metrics) or a dedicated agent. */
export const LOG_COLLECTORS = ["otelcol", ...LOG_AGENTS] as const;
export type LogCollector = (typeof LOG_COLLECTORS)[number];

/** The component that runs each log collector. */
export const LOG_COLLECTOR_COMPONENT: Readonly<Record<LogCollector, ComponentName>> = {
  otelcol: "otelCollector",
  promtail: "promtail",
  alloy: "alloy",
};

/** Images that are not stack components of their own (per-service exporters, one-shot runners). */
export const AUXILIARY_IMAGE_NAMES = ["postgresExporter", "redisExporter", "k6", "demo"] as const;
export type AuxiliaryImageName = (typeof AUXILIARY_IMAGE_NAMES)[number];
export type ImageName = ComponentName | AuxiliaryImageName;

export interface ImagePin {
  repository: string;
  tag: string;
}

export const IMAGE_PINS: Readonly<Record<ImageName, ImagePin>> = {
  prometheus: { repository: "prom/prometheus", tag: "v3.16.0" },
  alertmanager: { repository: "prom/alertmanager", tag: "v0.34.2" },
  grafana: { repository: "grafana/grafana", tag: "13.0.1" },
  loki: { repository: "grafana/loki", tag: "3.7.8" },
  promtail: { repository: "grafana/promtail", tag: "3.6.8" },
  // v1.15.1: the newest Alloy release whose module the Go module proxy serves (every other release
  // from v1.12.0 to v1.17.0 is refused), so the testbed builds the pinned version (docs/decisions.md).
  alloy: { repository: "grafana/alloy", tag: "v1.15.1" },
  jaeger: { repository: "jaegertracing/jaeger", tag: "2.13.0" },
  // 0.161.0: the newest release whose modules the Go module proxy serves in full (see docs/decisions.md).
  otelCollector: { repository: "otel/opentelemetry-collector-contrib", tag: "0.161.0" },
  nodeExporter: { repository: "prom/node-exporter", tag: "v1.12.1" },
  cadvisor: { repository: "ghcr.io/google/cadvisor", tag: "v0.60.6" },
  blackbox: { repository: "prom/blackbox-exporter", tag: "v0.28.0" },
  pushgateway: { repository: "prom/pushgateway", tag: "v1.11.1" },
  postgresExporter: { repository: "quay.io/prometheuscommunity/postgres-exporter", tag: "v0.17.1" },
  redisExporter: { repository: "oliver006/redis_exporter", tag: "v1.74.0" },
  // 2.2.0: the newest k6 whose source the Go module proxy serves (2.3.0's zip is refused).
  k6: { repository: "grafana/k6", tag: "2.2.0" },
  // Published nowhere: `up` builds it from demo/ (its Dockerfile) when it is missing.
  demo: { repository: "obs-stack/demo", tag: "0.1.0" },
};

export function pinnedImage(name: ImageName): string {
  const pin = IMAGE_PINS[name];
  return `${pin.repository}:${pin.tag}`;
}

export interface ComponentDefaults {
  /** Human name used in tables and docs. */
  title: string;
  /** The port the component serves its main API/UI on inside the network. */
  containerPort: number;
  /** Default host port it is published on (127.0.0.1 unless the config says otherwise). */
  hostPort: number;
  memory: string;
  note?: string;
}

export const COMPONENT_DEFAULTS: Readonly<Record<ComponentName, ComponentDefaults>> = {
  prometheus: { title: "Prometheus", containerPort: 9090, hostPort: 9090, memory: "2g" },
  alertmanager: { title: "Alertmanager", containerPort: 9093, hostPort: 9093, memory: "256m" },
  grafana: { title: "Grafana", containerPort: 3000, hostPort: 3000, memory: "512m" },
  loki: { title: "Loki", containerPort: 3100, hostPort: 3100, memory: "1g" },
  promtail: {
    title: "Promtail",
    containerPort: 9080,
    hostPort: 9080,
    memory: "256m",
    note: 'End of life upstream since 2026-03-02; 3.6.x is its last release line. Runs with `logs.collector: "promtail"`.',
  },
  alloy: {
    title: "Grafana Alloy",
    containerPort: 12345,
    hostPort: 12345,
    memory: "512m",
    note: 'Runs instead of the Collector as the log agent with `logs.collector: "alloy"`.',
  },
  jaeger: { title: "Jaeger", containerPort: 16686, hostPort: 16686, memory: "1g" },
  otelCollector: { title: "OpenTelemetry Collector", containerPort: 4318, hostPort: 4318, memory: "512m" },
  nodeExporter: { title: "node-exporter", containerPort: 9100, hostPort: 9100, memory: "128m" },
  cadvisor: { title: "cAdvisor", containerPort: 8080, hostPort: 8080, memory: "256m" },
  blackbox: { title: "Blackbox exporter", containerPort: 9115, hostPort: 9115, memory: "128m" },
  pushgateway: { title: "Pushgateway", containerPort: 9091, hostPort: 9091, memory: "128m" },
};

/** Compose service names: also the DNS names components use to reach each other. */
export const SERVICE_NAMES: Readonly<Record<ComponentName, string>> = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  grafana: "grafana",
  loki: "loki",
  promtail: "promtail",
  alloy: "alloy",
  jaeger: "jaeger",
  otelCollector: "otel-collector",
  nodeExporter: "node-exporter",
  cadvisor: "cadvisor",
  blackbox: "blackbox",
  pushgateway: "pushgateway",
};

/** Where each component serves its own Prometheus metrics inside the network. */
export const SELF_METRICS_PORTS: Readonly<Record<ComponentName, number>> = {
  prometheus: 9090,
  alertmanager: 9093,
  grafana: 3000,
  loki: 3100,
  promtail: 9080,
  alloy: 12345,
  jaeger: 8888,
  otelCollector: 8888,
  nodeExporter: 9100,
  cadvisor: 8080,
  blackbox: 9115,
  pushgateway: 9091,
};

/** How containers on the stack's network reach a component's main port (Compose service DNS). */
export function internalUrl(name: ComponentName, path = ""): string {
  return `http://${SERVICE_NAMES[name]}:${COMPONENT_DEFAULTS[name].containerPort}${path}`;
}
