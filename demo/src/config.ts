/** The service's settings, from environment variables, with the defaults the stack relies on. */
import { LEVELS, type Level } from "./log.ts";

export interface DemoConfig {
  port: number;
  serviceName: string;
  /** Full OTLP/HTTP traces URL. */
  tracesEndpoint: string;
  /** Background requests per second to its own routes; 0 turns the generator off. */
  trafficRps: number;
  logLevel: Level;
}

export class DemoConfigError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "DemoConfigError";
  }
}

export type Env = Record<string, string | undefined>;

function numberFrom(env: Env, name: string, fallback: number, valid: (value: number) => boolean, expected: string): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !valid(value)) throw new DemoConfigError(`${name}=${raw} is not ${expected}`, `set ${name} to ${expected} or unset it (default ${fallback})`);
  return value;
}

/** OTLP's rule: the generic endpoint gets the signal path appended, the per-signal one is used as is. */
function tracesEndpoint(env: Env): string {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (specific) return specific;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || "http://otel-collector:4318";
  return `${base.replace(/\/+$/, "")}/v1/traces`;
}

export function loadConfig(env: Env): DemoConfig {
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || "info") as Level;
  if (!LEVELS.includes(logLevel)) throw new DemoConfigError(`LOG_LEVEL=${env.LOG_LEVEL} is not a level`, `use one of ${LEVELS.join(", ")}`);
  const endpoint = tracesEndpoint(env);
  if (!/^https?:\/\/[^/]/.test(endpoint)) throw new DemoConfigError(`OTLP traces endpoint ${endpoint} is not an http(s) URL`, "set OTEL_EXPORTER_OTLP_ENDPOINT to e.g. http://otel-collector:4318");
  return {
    port: numberFrom(env, "PORT", 8080, (port) => Number.isInteger(port) && port > 0 && port < 65536, "a port number (1-65535)"),
    serviceName: env.OTEL_SERVICE_NAME?.trim() || "demo",
    tracesEndpoint: endpoint,
    trafficRps: numberFrom(env, "DEMO_TRAFFIC_RPS", 5, (rps) => rps >= 0 && rps <= 1000, "a rate between 0 and 1000"),
    logLevel,
  };
}
