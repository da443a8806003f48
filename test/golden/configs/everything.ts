// Every component, every receiver type, routes, time intervals, exporters, scrubbing and retention.
import { defineStack } from "obs-stack";

export default defineStack({
  project: { name: "everything" },
  bindAddress: "127.0.0.1",
  components: {
    grafana: { adminUser: "ops", port: 3300 },
    loki: { retention: "60d" },
    jaeger: { retention: "3d", memory: "2g" },
    otelCollector: { bindAddress: "0.0.0.0" },
  },
  images: { prometheus: "registry.internal/prom/prometheus:v3.16.0" },
  services: [
    {
      name: "checkout",
      url: "http://host.docker.internal:8080",
      health: { live: "/livez", ready: "/readyz", detailed: "/health" },
      labels: { team: "payments", tier: "critical" },
      slo: { availability: 0.999, latency: { threshold: "300ms", target: 0.99 }, window: "28d" },
      logs: { format: "json", category: "audit" },
    },
    {
      name: "search",
      url: "http://search:9200",
      scrapeInterval: "30s",
      health: { ready: "/ready" },
      logs: { format: "logfmt" },
    },
  ],
  exporters: {
    postgres: [{ name: "orders", dsnEnv: "ORDERS_PG_DSN" }],
    redis: [{ name: "cache", address: "redis:6379", passwordEnv: "REDIS_PASSWORD" }],
  },
  alerting: {
    receivers: [
      { name: "oncall", pagerduty: { routingKeyEnv: "PAGERDUTY_ROUTING_KEY" }, opsgenie: { apiKeyEnv: "OPSGENIE_API_KEY" } },
      { name: "chat", slack: { webhookUrlEnv: "SLACK_WEBHOOK_URL", channel: "#alerts" } },
      {
        name: "mail",
        email: {
          to: ["sre@example.com", "lead@example.com"],
          from: "alerts@example.com",
          smarthost: "smtp.example.com:587",
          authUsername: "alerts@example.com",
          authPasswordEnv: "SMTP_PASSWORD",
        },
      },
      { name: "audit-hook", webhook: { urlEnv: "AUDIT_WEBHOOK_URL" } },
      { name: "internal-hook", webhook: { url: "http://hooks.internal:8080/alerts" } },
    ],
    defaultReceiver: "chat",
    routes: [
      { severity: "critical", receiver: "oncall", continue: true },
      { severity: "critical", receiver: "chat" },
      { severity: "warning", receiver: "chat", activeTimeIntervals: ["business-hours"] },
      { category: "security", receiver: "audit-hook" },
      { category: "compliance", receiver: "mail", matchers: ['team="payments"'], repeatInterval: "24h" },
    ],
    timeIntervals: [
      {
        name: "business-hours",
        weekdays: ["monday:friday"],
        times: [{ start: "09:00", end: "17:00" }],
        location: "Europe/Berlin",
      },
    ],
  },
  logs: {
    scrub: {
      presets: ["email", "creditCard", "ssn", "phone", "ip"],
      custom: [{ name: "bearer-token", pattern: "Bearer ([A-Za-z0-9._-]+)", replacement: "[TOKEN]" }],
    },
    retention: { audit: "365d", debug: "3d" },
    drop: [{ name: "healthchecks", pattern: "GET /(healthz|livez|readyz)" }],
  },
});
