/**
 * blackbox.yml: the stock modules plus one module per custom synthetic check, asserting what the
 * check expects.
 */
import { HEALTHY_STATUS_PATTERN, type HttpSyntheticCheck, type ServiceChecks } from "../resolve/checks.ts";
import { PROBE_MODULES, probeModuleName } from "../resolve/probes.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { generatedYaml } from "./templates.ts";

const DEFAULT_TIMEOUT_SECONDS = 5;

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

export function renderBlackboxConfig(model: ResolvedStack): string {
  return generatedYaml({ modules: blackboxModules(model.checks) });
}

export function blackboxModules(services: readonly ServiceChecks[]): Record<string, BlackboxModule> {
  const modules: Record<string, BlackboxModule> = {
    [PROBE_MODULES.http2xx]: httpModule({ status: [], headers: {} }),
    [PROBE_MODULES.healthJson]: httpModule({ status: [], headers: { Accept: "application/json" }, bodyRegexps: [HEALTHY_STATUS_PATTERN] }),
    [PROBE_MODULES.tcp]: { prober: "tcp", timeout: `${DEFAULT_TIMEOUT_SECONDS}s`, tcp: { preferred_ip_protocol: "ip4" } },
  };
  for (const check of services.flatMap((service) => service.checks)) {
    if (check.kind === "http" && check.continuous && check.origin === "custom") modules[probeModuleName(check)] = customModule(check);
  }
  return modules;
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

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}
