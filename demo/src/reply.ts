/** A handler's answer, written to the socket by the app. */
import type { Fault } from "./model.ts";

export interface Reply {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
  /** The downstream failure behind a 5xx, recorded on the request's span. */
  fault?: Fault;
}

export function json(status: number, value: unknown, extra: Pick<Reply, "headers" | "fault"> = {}): Reply {
  return { status, body: `${JSON.stringify(value)}\n`, contentType: "application/json", ...extra };
}
