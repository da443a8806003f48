// Metrics without logs or traces: Prometheus, Alertmanager, Grafana, exporters and probes.
import { defineStack } from "obs-stack";

export default defineStack({
  project: { name: "metrics" },
  components: {
    loki: { enabled: false },
    promtail: { enabled: false },
    jaeger: { enabled: false },
    otelCollector: { enabled: false },
    prometheus: { retention: { time: "30d", size: "20GB" }, scrapeInterval: "30s" },
  },
  services: [
    {
      name: "web",
      url: "https://web.internal:8443/app",
      metricsPath: "/internal/metrics",
      health: { ready: "/ready" },
      labels: { team: "frontend" },
    },
    { name: "worker", url: "http://worker:9000", metricsPath: false, health: { live: "/livez" } },
  ],
  exporters: { postgres: [{ name: "main", dsnEnv: "PG_MAIN_DSN" }] },
  // Scrapes every 30s (above): a critical alert can take up to 1m50s, over the default 90s budget.
  alerting: { latencyBudget: { critical: "2m" } },
});
