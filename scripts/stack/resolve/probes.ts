/**
 * Blackbox's side of the synthetic checks: one probe job per continuous check, each naming the
 * module that asserts what the check expects. Health checks share two stock modules; a custom check
 * gets a module of its own, because its method, headers, body and assertions are its own.
 */
import type { AlertTimings } from "./alert-latency.ts";
import type { ServiceChecks, SyntheticCheck } from "./checks.ts";

export const PROBE_MODULES = {
  http2xx: "http_2xx",
  healthJson: "http_health_json",
  tcp: "tcp_connect",
} as const;

/** The Prometheus job of a continuous check (the synthetics alerts and dashboard select `probe-.*`). */
export function probeJobName(service: string, check: string): string {
  return `probe-${service}-${check}`;
}

export interface ProbeTarget {
  jobName: string;
  service: string;
  check: string;
  module: string;
  /** URL for HTTP checks, host:port for TCP checks; becomes the `instance` label. */
  target: string;
  interval: string;
}

export function probeTargets(services: readonly ServiceChecks[], timings: AlertTimings): ProbeTarget[] {
  return services.flatMap(({ checks }, i) =>
    checks
      .filter((check) => check.continuous)
      .map((check) => ({
        jobName: probeJobName(check.service, check.name),
        service: check.service,
        check: check.name,
        module: probeModuleName(check),
        target: check.kind === "http" ? check.url : check.address,
        interval: timings.services[i]!.probeInterval,
      })),
  );
}

export function probeModuleName(check: SyntheticCheck): string {
  if (check.kind === "tcp") return PROBE_MODULES.tcp;
  if (check.origin === "health") return check.name === "detailed" ? PROBE_MODULES.healthJson : PROBE_MODULES.http2xx;
  // Slugs never contain "_", so the separator keeps every (service, check) pair distinct.
  return `check_${check.service}_${check.name}`;
}
