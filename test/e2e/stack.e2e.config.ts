/**
 * The e2e stack: the shipped default config, with `images` pointed at the testbed's stand-ins (the
 * product's own override feature) and components the testbed could not build switched off.
 * `npm run testbed` writes the overlay this reads.
 */
import { readFileSync } from "node:fs";
import { defineStack } from "obs-stack";
import shipped from "../../stack.config.ts";

interface Overlay {
  images: Record<string, string>;
  disabled: Record<string, string>;
}

const overlay = JSON.parse(readFileSync(new URL("./.testbed-images.json", import.meta.url), "utf8")) as Overlay;

const components = Object.fromEntries(Object.keys(overlay.disabled).map((name) => [name, { enabled: false }]));

// The reload test changes the scrape interval between two `up`s through this variable.
const scrapeInterval = process.env.E2E_SCRAPE_INTERVAL ?? "15s";
// alloy.test.ts switches the log collector through this variable.
const logCollector = process.env.E2E_LOG_COLLECTOR === "alloy" ? "alloy" : "promtail";

export default defineStack({
  ...shipped,
  project: { name: "obs-e2e" },
  images: overlay.images,
  components: { ...shipped.components, ...components, prometheus: { scrapeInterval } },
  logs: { ...shipped.logs, collector: logCollector },
  // A receiver with a secret, so Alertmanager gets a secret file (read as its non-root user).
  alerting: {
    receivers: [{ name: "e2e-hook", webhook: { urlEnv: "E2E_WEBHOOK_URL" } }],
    routes: [{ receiver: "e2e-hook", matchers: ['e2e="never"'] }],
    // A webhook receiver counts as chat by default; this one must never be notified.
    chat: [],
  },
  services: [
    // The demo as shipped, probed more often so the probe alert test fires and resolves quickly.
    ...(shipped.services ?? []).map((service) =>
      service.name === "demo" ? { ...service, synthetics: { ...service.synthetics, interval: "5s", alertAfter: "20s" } } : service,
    ),
    // Checks that must fail: the demo's deliberately broken endpoints, run on demand only.
    {
      name: "demo-broken",
      url: "http://demo:8080",
      metricsPath: false,
      synthetics: {
        healthChecks: false,
        checks: [
          { name: "wrong-status", path: "/broken/status", continuous: false },
          { name: "too-slow", path: "/broken/slow", continuous: false, expect: { maxDuration: "1s" } },
          { name: "missing-text", path: "/broken/body", continuous: false, expect: { json: { status: "ok" }, bodyContains: ["healthy"] } },
        ],
      },
    },
    // A service declared like a user would, so service scrape jobs and probes run too: the stack's
    // own Pushgateway stands in for "a service with metrics and a health endpoint".
    { name: "sample-api", url: "http://pushgateway:9091", health: { live: "/-/healthy", ready: "/-/ready" } },
  ],
});
