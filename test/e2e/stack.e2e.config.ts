/**
 * The e2e stack: the shipped default config, run by one suite on two image sets.
 * - testbed (default): `images` points at the stand-ins `npm run testbed` built (the product's own
 *   override feature), the components it does not boot are switched off, and logs go to the
 *   recording "Loki door" (loki-door.ts) through `logs.loki.url`.
 * - official (`E2E_IMAGES=official`): the pinned official images, nothing switched off.
 * Both declare exporters against real PostgreSQL and Redis servers on the host (test/testbed/peers.sh).
 */
import { readFileSync } from "node:fs";
import { defineStack } from "obs-stack";
import { COMPONENT_NAMES, type ComponentName } from "../../scripts/stack/catalog/components.ts";
import shipped from "../../stack.config.ts";
import { LOKI_DOOR_URL } from "./loki-door-address.ts";

interface Overlay {
  images: Record<string, string>;
  disabled: Record<string, string>;
}

const official = process.env.E2E_IMAGES === "official";
const overlay: Overlay = official
  ? { images: {}, disabled: {} }
  : (JSON.parse(readFileSync(new URL("./.testbed-images.json", import.meta.url), "utf8")) as Overlay);

// k6 is not a running component: not booting it only means synthetics runs are not tested here.
const components = Object.fromEntries(
  Object.keys(overlay.disabled)
    .filter((name): name is ComponentName => (COMPONENT_NAMES as readonly string[]).includes(name))
    .map((name) => [name, { enabled: false }]),
);
const lokiBooted = !("loki" in overlay.disabled);

// The backup test bumps Prometheus's image through this variable.
const prometheusImage = process.env.E2E_PROMETHEUS_IMAGE;
// The reload test changes the scrape interval between two `up`s through this variable.
const scrapeInterval = process.env.E2E_SCRAPE_INTERVAL ?? "15s";
// official.test.ts switches the log collector through this variable.
const collectors = ["otelcol", "promtail", "alloy"] as const;
const logCollector = collectors.find((name) => name === process.env.E2E_LOG_COLLECTOR) ?? "otelcol";

export default defineStack({
  ...shipped,
  project: { name: "obs-e2e" },
  images: { ...overlay.images, ...(prometheusImage ? { prometheus: prometheusImage } : {}) },
  // The opt-in StatsD exporter runs too, so that a component off by default is proven booted.
  components: { ...shipped.components, statsdExporter: { enabled: true }, ...components, prometheus: { scrapeInterval } },
  logs: {
    ...shipped.logs,
    collector: logCollector,
    ...(lokiBooted ? {} : { loki: { url: LOKI_DOOR_URL } }),
    // A line the e2e test sends must never reach Loki.
    drop: [{ name: "e2e-dropped", pattern: "obs-e2e-drop-me" }],
  },
  // A receiver with a secret, so Alertmanager gets a secret file (read as its non-root user).
  alerting: {
    receivers: [{ name: "e2e-hook", webhook: { urlEnv: "E2E_WEBHOOK_URL" } }],
    routes: [{ receiver: "e2e-hook", matchers: ['e2e="never"'] }],
    // A webhook receiver counts as chat by default; this one must never be notified.
    chat: [],
  },
  // Real peers from Debian, started on the host by test/testbed/peers.sh.
  exporters: {
    postgres: [{ name: "e2e", dsnEnv: "E2E_PG_DSN" }],
    redis: [{ name: "e2e", address: "host.docker.internal:56379", passwordEnv: "E2E_REDIS_PASSWORD" }],
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
