// Promtail as the log agent, shipping to an existing Loki (logs.loki.url) instead of the bundled
// one: the whole log pipeline in Promtail's format, and Grafana reading from that Loki.
import { defineStack } from "obs-stack";

export default defineStack({
  project: { name: "promtail" },
  components: {
    loki: { enabled: false },
    promtail: { port: 9180 },
    cadvisor: { enabled: false },
    blackbox: { enabled: false },
  },
  services: [
    { name: "api", url: "http://host.docker.internal:8080", logs: { format: "json", category: "audit" } },
    { name: "worker", url: "http://worker:9000", metricsPath: false, logs: { format: "logfmt" } },
  ],
  logs: {
    collector: "promtail",
    loki: { url: "https://loki.internal.example:3100" },
    scrub: { presets: ["email", "ip"], custom: [{ name: "token", pattern: "token=(\\w+)" }] },
    drop: [{ name: "healthchecks", pattern: "GET /(healthz|readyz)" }],
  },
});
