// Every signal to a backend the user already runs: logs to a multi-tenant Loki with a token, traces
// to an OTLP backend (the bundled Jaeger off, Grafana reading traces from that backend's Jaeger
// API), metrics also remote-written to a multi-tenant Mimir that Grafana reads from.
import { defineStack } from "obs-stack";

export default defineStack({
  project: { name: "backends" },
  components: {
    loki: { enabled: false },
    jaeger: { enabled: false },
    cadvisor: { enabled: false },
    blackbox: { enabled: false },
  },
  services: [{ name: "api", url: "http://host.docker.internal:8080" }],
  logs: {
    loki: { url: "https://loki.internal.example:3100", bearerTokenEnv: "LOKI_TOKEN", headers: { "X-Scope-OrgID": "team-a" } },
  },
  traces: {
    export: [
      {
        name: "tempo",
        endpoint: "https://tempo.internal.example:4318",
        bearerTokenEnv: "TEMPO_TOKEN",
        headers: { "X-Scope-OrgID": "team-a" },
        queryUrl: "https://tempo.internal.example:16686",
      },
    ],
  },
  metrics: {
    remoteWrite: [
      {
        name: "mimir",
        url: "https://mimir.internal.example/api/v1/push",
        headers: { "X-Scope-OrgID": "team-a" },
        bearerTokenEnv: "MIMIR_TOKEN",
        queryUrl: "https://mimir.internal.example/prometheus",
      },
    ],
  },
});
