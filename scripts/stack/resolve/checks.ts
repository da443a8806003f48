/**
 * The synthetic checks of each service, in one normalized shape both runners read: blackbox (continuous
 * probes) and k6 (`npm run synthetics`). Health endpoints become checks named after the endpoint.
 */
import type { ServiceConfig } from "../config/schema.ts";
import type { HttpCheckConfig } from "../config/synthetics-schema.ts";
import { durationToSeconds } from "../syntax/durations.ts";

/** Accepted by the blackbox health-JSON module and the k6 detailed-health check alike. */
export const HEALTHY_STATUS_PATTERN = String.raw`"status"\s*:\s*"(ok|up|pass|healthy)"`;

export interface HttpExpectations {
  /** Empty: any 2xx. */
  status: number[];
  json: Array<{ path: string[]; equals: string | number | boolean | null }>;
  bodyContains: string[];
  bodyMatches: string | null;
  maxSeconds: number | null;
  certificateDaysLeft: number | null;
}

export interface HttpSyntheticCheck {
  kind: "http";
  /** Derived from a declared health endpoint, or declared in synthetics.checks. */
  origin: "health" | "custom";
  service: string;
  name: string;
  method: HttpCheckConfig["method"];
  url: string;
  headers: Record<string, string>;
  body: string | null;
  expect: HttpExpectations;
  continuous: boolean;
}

export interface TcpSyntheticCheck {
  kind: "tcp";
  service: string;
  name: string;
  address: string;
  continuous: true;
}

export type SyntheticCheck = HttpSyntheticCheck | TcpSyntheticCheck;

/**
 * The checks of one service. Grouped by the service itself, not its name: the rules still check a
 * config that repeats a service name service by service.
 */
export interface ServiceChecks {
  service: ServiceConfig;
  checks: SyntheticCheck[];
}

const HEALTH_ENDPOINTS = ["live", "ready", "detailed"] as const;

export function serviceChecks(service: ServiceConfig): SyntheticCheck[] {
  const { synthetics } = service;
  const health = synthetics.healthChecks ? HEALTH_ENDPOINTS.flatMap((endpoint) => healthCheck(service, endpoint)) : [];
  const custom = synthetics.checks.map((check): HttpSyntheticCheck => ({
    kind: "http",
    origin: "custom",
    service: service.name,
    name: check.name,
    method: check.method,
    url: joinUrl(service.url, check.path),
    headers: check.headers,
    body: check.body ?? null,
    expect: {
      status: check.expect.status === undefined ? [] : [check.expect.status].flat(),
      json: Object.entries(check.expect.json).map(([path, equals]) => ({ path: path.split("."), equals })),
      bodyContains: check.expect.bodyContains,
      bodyMatches: check.expect.bodyMatches ?? null,
      maxSeconds: check.expect.maxDuration ? durationToSeconds(check.expect.maxDuration) : null,
      certificateDaysLeft: check.expect.certificateDaysLeft ?? null,
    },
    continuous: check.continuous,
  }));
  const tcp = synthetics.tcp.map((check): TcpSyntheticCheck => ({ kind: "tcp", service: service.name, name: check.name, address: check.address, continuous: true }));
  return [...health, ...custom, ...tcp];
}

function healthCheck(service: ServiceConfig, endpoint: (typeof HEALTH_ENDPOINTS)[number]): HttpSyntheticCheck[] {
  const path = service.health[endpoint];
  if (!path) return [];
  return [
    {
      kind: "http",
      origin: "health",
      service: service.name,
      name: endpoint,
      method: "GET",
      url: joinUrl(service.url, path),
      headers: endpoint === "detailed" ? { Accept: "application/json" } : {},
      body: null,
      expect: {
        status: [],
        json: [],
        bodyContains: [],
        bodyMatches: endpoint === "detailed" ? HEALTHY_STATUS_PATTERN : null,
        maxSeconds: null,
        certificateDaysLeft: null,
      },
      continuous: true,
    },
  ];
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/$/, "")}${path}`;
}
