/**
 * The stack the bench runs: the e2e stack (the shipped default on the testbed's images, with the
 * demo, the real PostgreSQL and Redis peers, and Loki's recording door; test/e2e/stack.e2e.config.ts)
 * with three differences, all for the alert latency measurement:
 * - the demo is declared exactly as shipped: the e2e suite probes it every 5s so that its own test is
 *   quick, which would measure a configuration nobody runs;
 * - a service declared with health endpoints and no metrics (the stack's Pushgateway stands in for
 *   it): when a service with metrics dies, its ServiceDown mutes its HealthProbeFailing (by design:
 *   one outage, one page), so the warning path is measured on a service that only probes can see;
 * - every alert goes to the bench's webhook (BENCH_WEBHOOK_URL), and a group that was notified is
 *   flushed again after 10s instead of 5m. That is not part of the first notification's latency
 *   (group_wait is), but it lets the group of one run be gone before the next run breaks the demo
 *   again, so every run measures a new outage rather than a change to a group already notified.
 */
import { defineStack } from "obs-stack";
import shipped from "../stack.config.ts";
import e2e from "../test/e2e/stack.e2e.config.ts";

const shippedDemo = (shipped.services ?? []).find((service) => service.name === "demo");

export default defineStack({
  ...e2e,
  services: [
    ...(e2e.services ?? []).map((service) => (service.name === "demo" && shippedDemo ? shippedDemo : service)),
    { name: "probed-only", url: "http://pushgateway:9091", metricsPath: false, health: { live: "/-/healthy", ready: "/-/ready" } },
  ],
  alerting: {
    receivers: [{ name: "bench-hook", webhook: { urlEnv: "BENCH_WEBHOOK_URL" } }],
    severities: { critical: { groupInterval: "10s" }, warning: { groupInterval: "10s" } },
  },
});
