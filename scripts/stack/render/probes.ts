/**
 * Blackbox's side of the synthetic checks: one probe job per continuous check, each with the module
 * that asserts what the check expects. Health checks share two stock modules; a custom check gets a
 * module of its own, because its method, headers, body and assertions are its own.
 */
import type { ServiceConfig } from "../config/schema.ts";
import { allChecks, HEALTHY_STATUS_PATTERN, type HttpSyntheticCheck, type SyntheticCheck } from "../synthetics/checks.ts";

export const PROBE_MODULES = {
  http2xx: "http_2xx",
  healthJson: "http_health_json",
  tcp: "tcp_connect",
} as const;

const DEFAULT_TIMEOUT_SECONDS = 5;

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

export interface HttpModule {
  prober: "http";
  timeout: string;
  http: {
    preferred_ip_protocol: "ip4";
    follow_redirects: boolean;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    valid_status_codes: number[];
    fail_if_body_not_matches_regexp?: string[];
    fail_if_body_json_not_matches_cel?: string;
  };
}

export interface TcpModule {
  prober: "tcp";
  timeout: string;
  tcp: { preferred_ip_protocol: "ip4" };
}

export type BlackboxModule = HttpModule | TcpModule;

export function probeTargets(services: readonly ServiceConfig[]): ProbeTarget[] {
  const intervals = new Map(services.map((service) => [service.name, service.synthetics.interval]));
  return allChecks(services)
    .filter((check) => check.continuous)
    .map((check) => ({
      jobName: probeJobName(check.service, check.name),
      service: check.service,
      check: check.name,
      module: moduleName(check),
      target: check.kind === "http" ? check.url : check.address,
      interval: intervals.get(check.service)!,
    }));
}

export function blackboxModules(services: readonly ServiceConfig[]): Record<string, BlackboxModule> {
  const modules: Record<string, BlackboxModule> = {
    [PROBE_MODULES.http2xx]: httpModule({ status: [], headers: {} }),
    [PROBE_MODULES.healthJson]: httpModule({ status: [], headers: { Accept: "application/json" }, bodyRegexps: [HEALTHY_STATUS_PATTERN] }),
    [PROBE_MODULES.tcp]: { prober: "tcp", timeout: `${DEFAULT_TIMEOUT_SECONDS}s`, tcp: { preferred_ip_protocol: "ip4" } },
  };
  for (const check of allChecks(services)) {
    if (check.kind === "http" && check.continuous && check.origin === "custom") modules[moduleName(check)] = customModule(check);
  }
  return modules;
}

function moduleName(check: SyntheticCheck): string {
  if (check.kind === "tcp") return PROBE_MODULES.tcp;
  if (check.origin === "health") return check.name === "detailed" ? PROBE_MODULES.healthJson : PROBE_MODULES.http2xx;
  // Slugs never contain "_", so the separator keeps every (service, check) pair distinct.
  return `check_${check.service}_${check.name}`;
}

function customModule(check: HttpSyntheticCheck): HttpModule {
  const { expect } = check;
  return httpModule({
    status: expect.status,
    headers: check.headers,
    method: check.method,
    body: check.body,
    timeoutSeconds: expect.maxSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    bodyRegexps: [...expect.bodyContains.map(escapeRegex), ...(expect.bodyMatches ? [expect.bodyMatches] : [])],
    cel: expect.json.length > 0 ? expect.json.map(({ path, equals }) => `${celField(path)} == ${celLiteral(equals)}`).join(" && ") : undefined,
  });
}

function httpModule(spec: {
  status: number[];
  headers: Record<string, string>;
  method?: string;
  body?: string | null;
  timeoutSeconds?: number;
  bodyRegexps?: string[];
  cel?: string;
}): HttpModule {
  return {
    prober: "http",
    timeout: `${spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS}s`,
    http: {
      preferred_ip_protocol: "ip4",
      follow_redirects: true,
      ...(spec.method && spec.method !== "GET" ? { method: spec.method } : {}),
      ...(Object.keys(spec.headers).length > 0 ? { headers: spec.headers } : {}),
      ...(spec.body ? { body: spec.body } : {}),
      valid_status_codes: spec.status,
      ...(spec.bodyRegexps?.length ? { fail_if_body_not_matches_regexp: spec.bodyRegexps } : {}),
      ...(spec.cel ? { fail_if_body_json_not_matches_cel: spec.cel } : {}),
    },
  };
}

/** Index syntax works for every key, including ones that are not CEL identifiers ("content-type"). */
export function celField(path: readonly string[]): string {
  return `body${path.map((key) => `[${JSON.stringify(key)}]`).join("")}`;
}

/** JSON numbers are doubles in CEL, and CEL does not compare an int literal with a double. */
export function celLiteral(value: string | number | boolean | null): string {
  if (typeof value === "number") return Number.isInteger(value) ? `${value}.0` : String(value);
  return JSON.stringify(value);
}

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}
