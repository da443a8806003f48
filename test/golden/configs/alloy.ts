// Grafana Alloy as the log collector: every part of the log pipeline (logfmt and JSON services,
// categories, drop and scrub rules with quotes and backslashes) in Alloy's config language.
import { defineStack } from "obs-stack";

export default defineStack({
  project: { name: "alloy" },
  components: {
    alloy: { port: 12400, memory: "384m" },
    jaeger: { enabled: false },
    otelCollector: { enabled: false },
    cadvisor: { enabled: false },
    blackbox: { enabled: false },
    pushgateway: { enabled: false },
  },
  services: [
    { name: "api", url: "http://host.docker.internal:8080", logs: { format: "json", category: "audit" } },
    { name: "worker", url: "http://worker:9000", metricsPath: false, logs: { format: "logfmt" } },
  ],
  logs: {
    collector: "alloy",
    scrub: {
      presets: ["email", "creditCard"],
      custom: [{ name: "password", pattern: 'password="([^"\\\\]*)"', replacement: "[SECRET]" }],
    },
    retention: { audit: "365d" },
    drop: [
      { name: "healthchecks", pattern: "GET /(healthz|readyz)" },
      { name: "debug-lines", pattern: '"level":\\s*"debug"' },
    ],
  },
});
