/**
 * The components the stack can run, in the order compose.yaml and prometheus.yml list them. A new
 * component is one name here and one definition in components/ (the registry does not compile
 * until both exist).
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
  "statsdExporter",
  "proxy",
] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];
