/**
 * Your observability stack, in one file. Edit it and run `npm run up` again: only what changed
 * is applied, and no data is lost. Every field is documented in README.md ("Config reference").
 *
 * This default runs the whole stack monitoring itself, its host and its containers.
 */
import { defineStack } from "obs-stack";

export default defineStack({
  project: { name: "obs" },

  // Declare your own services here; each gets a scrape job and blackbox probes of its health endpoints.
  // services: [
  //   {
  //     name: "checkout",
  //     url: "http://host.docker.internal:8080",
  //     health: { live: "/livez", ready: "/readyz", detailed: "/health" },
  //     slo: { availability: 0.999, latency: { threshold: "300ms", target: 0.99 } },
  //   },
  // ],

  // Receivers name environment variables that hold their secrets (set them in .env):
  // alerting: {
  //   receivers: [{ name: "oncall", pagerduty: { routingKeyEnv: "PAGERDUTY_ROUTING_KEY" } }],
  //   routes: [{ severity: "critical", receiver: "oncall" }],
  // },

  logs: {
    scrub: { presets: ["email", "creditCard"] },
  },
});
