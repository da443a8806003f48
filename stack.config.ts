/**
 * Your observability stack, in one file. Edit it and run `npm run up` again: only what changed is
 * applied, and no data is lost. Every field is documented in README.md ("Config reference").
 *
 * This default runs the whole stack monitoring itself, its host, its containers and a bundled demo
 * service, so every dashboard has data within a minute. Replace the demo with your own services.
 */
import { defineStack } from "obs-stack";

export default defineStack({
  project: { name: "obs" },

  // The bundled demo service (container `demo`): RED metrics with exemplars, JSON logs with trace
  // ids, OTLP traces and steady background traffic. Set enabled: false and remove it from
  // `services` once your own services are declared.
  demo: { enabled: true },

  services: [
    // Declared like any service of yours: scraped, probed, SLOs, synthetic checks.
    {
      name: "demo",
      url: "http://demo:8080",
      health: { live: "/livez", ready: "/readyz", detailed: "/health" },
      slo: { availability: 0.99, latency: { threshold: "500ms", target: 0.95 } },
      synthetics: {
        checks: [
          { name: "product", path: "/api/products/1", expect: { status: 200, json: { id: 1 }, maxDuration: "2s" } },
          { name: "search", path: "/api/search?q=lamp", expect: { status: 200, json: { query: "lamp" }, maxDuration: "3s" } },
        ],
        profiles: {
          smoke: {
            stages: [{ duration: "10s", target: 5 }, { duration: "20s", target: 5 }, { duration: "5s", target: 0 }],
            thresholds: { p95: "1s", errorRate: 0.1, checksPassRate: 0.9 },
          },
        },
      },
    },
    // Your services look like this:
    // {
    //   name: "checkout",
    //   url: "http://host.docker.internal:8080",
    //   health: { live: "/livez", ready: "/readyz", detailed: "/health" },
    //   slo: { availability: 0.999, latency: { threshold: "300ms", target: 0.99 } },
    // },
  ],

  // Receivers name environment variables that hold their secrets (set them in .env):
  // alerting: {
  //   receivers: [{ name: "oncall", pagerduty: { routingKeyEnv: "PAGERDUTY_ROUTING_KEY" } }],
  //   routes: [{ severity: "critical", receiver: "oncall" }],
  // },

  logs: {
    scrub: { presets: ["email", "creditCard"] },
  },

  // Other machines, each running `npm run agent -- --host <name>` (README "Growing past one machine"):
  // components: { proxy: { enabled: true, bindAddress: "0.0.0.0", hostname: "obs.example.com" } },
  // hosts: [{ name: "web-1", labels: { region: "eu-west" } }],
});
