/**
 * Liveness, readiness and the detailed health report. Liveness only says the process serves
 * HTTP; readiness is false until the service has started and again while it drains; the
 * detailed report adds dependency checks that are informational: a missing trace collector
 * makes the service "degraded", never unready, because it still serves its traffic.
 */
import type { FailureState } from "./rate-limited.ts";

export type Phase = "starting" | "ready" | "draining";

export interface ProbeReply {
  status: number;
  body: string;
  contentType: string;
}

export function readinessReply(phase: Phase): ProbeReply {
  return phase === "ready"
    ? { status: 200, body: "ok\n", contentType: "text/plain; charset=utf-8" }
    : { status: 503, body: `${phase}\n`, contentType: "text/plain; charset=utf-8" };
}

export type CheckStatus = "ok" | "failing" | "disabled";

export interface Check {
  status: CheckStatus;
  [detail: string]: string | number | undefined;
}

/** A dependency check from its failure history: failing while errors are recent. */
export function failureCheck(state: FailureState, at: Date, details: Record<string, string | number> = {}): Check {
  if (!state.failingAt(at)) return { status: "ok", ...details };
  return { status: "failing", ...details, last_error: state.lastError, last_error_at: state.lastErrorAt?.toISOString() };
}

export function healthReply(phase: Phase, uptimeSeconds: number, checks: Record<string, Check>): ProbeReply {
  const failing = Object.values(checks).some((check) => check.status === "failing");
  const status = phase !== "ready" ? phase : failing ? "degraded" : "ok";
  const body = { status, checks, uptime_seconds: Math.round(uptimeSeconds * 10) / 10 };
  return { status: phase === "ready" ? 200 : 503, body: `${JSON.stringify(body)}\n`, contentType: "application/json" };
}
