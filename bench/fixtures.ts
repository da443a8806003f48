/**
 * Stack configs with N declared services, for measuring how `generate` scales. Each service has
 * what a real one declares (health, SLOs, logs, synthetic checks, a load profile), so every
 * per-service renderer is exercised. Plain data, no `defineStack` import: the file can live in a
 * temp directory outside the package.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

function service(index: number) {
  const name = `svc-${String(index).padStart(5, "0")}`;
  return {
    name,
    url: `http://${name}:8080`,
    health: { live: "/livez", ready: "/readyz", detailed: "/health" },
    labels: { team: `team-${index % 20}` },
    slo: { availability: 0.999, latency: { threshold: "300ms", target: 0.99 } },
    logs: { format: "json" },
    synthetics: {
      checks: [{ name: "home", path: "/", expect: { status: 200, maxDuration: "1s" } }],
      profiles: { smoke: { stages: [{ duration: "10s", target: 5 }], thresholds: { p95: "1s", errorRate: 0.1 } } },
    },
  };
}

export function servicesConfig(count: number): unknown {
  return {
    project: { name: "bench" },
    services: Array.from({ length: count }, (_, index) => service(index)),
    alerting: { receivers: [{ name: "hook", webhook: { url: "http://hooks.internal:8080/alerts" } }], defaultReceiver: "hook" },
  };
}

/** Writes `stack.config.ts` for `count` services into `dir` and returns its path. */
export function writeServicesConfig(dir: string, count: number): string {
  const file = join(dir, "stack.config.ts");
  writeFileSync(file, `export default ${JSON.stringify(servicesConfig(count), null, 2)};\n`);
  return file;
}
