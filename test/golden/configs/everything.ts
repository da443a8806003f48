// Every component, every receiver type, routing defaults and routes, time intervals, exporters, scrubbing, retention and remote-write.
import { defineStack } from "obs-stack";

export default defineStack({
  project: { name: "everything" },
  bindAddress: "127.0.0.1",
  components: {
    grafana: { adminUser: "ops", port: 3300 },
    loki: { retention: "60d" },
    jaeger: { retention: "3d", memory: "2g" },
    statsdExporter: { enabled: true, ingestPort: 9225 },
    // Served beyond localhost through the proxy only: the other components stay on loopback.
    proxy: { enabled: true, bindAddress: "0.0.0.0", hostname: "obs.example.com" },
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
      synthetics: {
        interval: "15s",
        alertAfter: "2m",
        checks: [
          {
            name: "place-order",
            method: "POST",
            path: "/api/orders",
            headers: { "Content-Type": "application/json", "X-Synthetic": "1" },
            body: '{"sku":"A1","quantity":1}',
            expect: { status: [200, 201], json: { "order.state": "accepted", total: 12.5 }, bodyContains: ["order_id"], bodyMatches: "\\d{6}", maxDuration: "800ms" },
          },
          { name: "search-only-k6", path: "/api/search?q=x", continuous: false, expect: { json: { ok: true } } },
        ],
        tcp: [{ name: "database", address: "postgres:5432" }],
        profiles: {
          peak: {
            stages: [{ duration: "30s", target: 20 }, { duration: "1m", target: 20 }, { duration: "10s", target: 0 }],
            thresholds: { p95: "300ms", p99: "1s", errorRate: 0.01, checksPassRate: 0.99 },
          },
        },
      },
    },
    {
      name: "search",
      url: "https://search:9200",
      scrapeInterval: "30s",
      health: { ready: "/ready" },
      logs: { format: "logfmt" },
      synthetics: { checks: [{ name: "tls", path: "/", expect: { certificateDaysLeft: 21 } }] },
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
    // The search service is scraped every 30s: its ServiceDown needs more than the default 90s.
    latencyBudget: { critical: "2m" },
    chat: ["chat", "mail"],
    severities: {
      critical: { notify: ["paging", "chat"] },
      warning: { businessHoursOnly: true, repeatInterval: "12h" },
    },
    categories: { security: { receivers: ["audit-hook"], continue: true } },
    businessHours: { weekdays: ["monday:thursday", "friday"], start: "08:30", end: "18:00", location: "Europe/Berlin" },
    heartbeat: { receiver: "internal-hook", repeatInterval: "5m" },
    links: { grafana: "https://grafana.example.com/", runbooks: "https://github.com/acme/obs/blob/main" },
    routes: [
      { category: "compliance", receiver: "mail", matchers: ['team="payments"'], repeatInterval: "24h" },
      { severity: "critical", receiver: "chat", matchers: ['service=~"search|search-.*"'], muteTimeIntervals: ["maintenance"] },
    ],
    timeIntervals: [
      {
        name: "maintenance",
        weekdays: ["sunday"],
        times: [{ start: "02:00", end: "04:00" }],
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
  metrics: {
    remoteWrite: [
      {
        name: "thanos",
        url: "http://thanos-receive.internal:19291/api/v1/receive",
        queryUrl: "http://thanos-query.internal:10902",
        basicAuth: { username: "obs-stack", passwordEnv: "THANOS_PASSWORD" },
        headers: { "X-Scope-OrgID": "obs-stack" },
        queue: { capacity: 20000, maxShards: 10, maxSamplesPerSend: 5000, minBackoff: "100ms", maxBackoff: "30s", retryOnHttp429: true },
      },
      { name: "victoriametrics", url: "https://victoriametrics.example.com/api/v1/write", timeout: "10s", bearerTokenEnv: "VM_TOKEN" },
    ],
  },
  // Every span also to a Tempo of the user's, over gRPC with a token; Grafana keeps reading the bundled Jaeger.
  traces: {
    export: [
      { name: "tempo", endpoint: "https://tempo.example.com:4317", protocol: "grpc", bearerTokenEnv: "TEMPO_TOKEN", headers: { "X-Scope-OrgID": "obs-stack" } },
      { name: "collector", endpoint: "http://otel-gateway.internal:4318" },
    ],
  },
  // Agents on two other machines ship through the proxy, each with its own token.
  hosts: [
    { name: "web-1", address: "10.0.1.21", labels: { region: "eu-west", tier: "frontend" } },
    { name: "db-1", labels: { region: "eu-west" } },
  ],
  agents: { caFile: "/etc/obs-stack/central-ca.pem" },
});
