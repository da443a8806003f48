/**
 * The component registry: every container the stack can run, one definition per file in
 * components/ (see component-definition.ts). This is the one place where images are pinned;
 * `images` in stack.config.ts overrides the reference per component (private mirrors, air-gapped
 * sites, the testbed's stand-ins). Every table below is derived from the definitions.
 */
import type { ComponentDefinition, ImagePin } from "./component-definition.ts";
import { COMPONENT_NAMES, type ComponentName } from "./component-names.ts";
import { alertmanager } from "./components/alertmanager.ts";
import { alloy } from "./components/alloy.ts";
import { blackbox } from "./components/blackbox.ts";
import { cadvisor } from "./components/cadvisor.ts";
import { grafana } from "./components/grafana.ts";
import { jaeger } from "./components/jaeger.ts";
import { loki } from "./components/loki.ts";
import { nodeExporter } from "./components/node-exporter.ts";
import { otelCollector } from "./components/otel-collector.ts";
import { prometheus } from "./components/prometheus.ts";
import { promtail } from "./components/promtail.ts";
import { proxy } from "./components/proxy.ts";
import { pushgateway } from "./components/pushgateway.ts";
import { statsdExporter } from "./components/statsd-exporter.ts";

export { COMPONENT_NAMES, type ComponentName };
export type { ImagePin };

export const COMPONENTS = {
  prometheus,
  alertmanager,
  grafana,
  loki,
  promtail,
  alloy,
  jaeger,
  otelCollector,
  nodeExporter,
  cadvisor,
  blackbox,
  pushgateway,
  statsdExporter,
  proxy,
} as const satisfies Readonly<Record<ComponentName, ComponentDefinition>>;

/** A definition as the common type (COMPONENTS keeps each one's own, for the config schema's settings). */
export const definitionOf = (name: ComponentName): ComponentDefinition => COMPONENTS[name];

const byComponent = <T>(pick: (definition: ComponentDefinition) => T): Readonly<Record<ComponentName, T>> =>
  Object.fromEntries(COMPONENT_NAMES.map((name) => [name, pick(definitionOf(name))])) as Record<ComponentName, T>;

/** Compose service names: also the DNS names components use to reach each other. */
export const SERVICE_NAMES = byComponent((definition) => definition.service);

/** Where each component serves its own Prometheus metrics inside the network. */
export const SELF_METRICS_PORTS = byComponent((definition) => definition.selfMetricsPort);

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

export const IMAGE_PINS: Readonly<Record<ImageName, ImagePin>> = {
  ...byComponent((definition) => definition.image),
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

/** How containers on the stack's network reach a component's main port (Compose service DNS). */
export function internalUrl(name: ComponentName, path = ""): string {
  return `http://${SERVICE_NAMES[name]}:${COMPONENTS[name].port}${path}`;
}
