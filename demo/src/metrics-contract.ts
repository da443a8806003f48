/**
 * What GET /metrics promises. Dashboards and SLO rules query these names, labels and bucket
 * bounds exactly, so they are defined once here and changed only together with those.
 */
export const REQUEST_DURATION = {
  name: "http_server_request_duration_seconds",
  help: "Duration of HTTP requests served by the demo, by method, route template and status.",
  labels: ["http_request_method", "http_route", "http_response_status_code"] as const,
  /** Seconds. 0.3 and 0.25 are there because the default latency SLO thresholds sit on them. */
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10],
} as const;

export const ACTIVE_REQUESTS = {
  name: "http_server_active_requests",
  help: "HTTP requests the demo is serving right now (health and metrics requests excluded).",
} as const;

export type RequestLabel = (typeof REQUEST_DURATION.labels)[number];

/**
 * Exemplars exist only in the OpenMetrics format, which a scraper asks for in its Accept header
 * (Prometheus does by default); anything else gets the classic text format.
 */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return (accept ?? "")
    .split(",")
    .some((part) => {
      const [type, ...parameters] = part.trim().split(";");
      const rejected = parameters.some((parameter) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(parameter));
      return type?.trim().toLowerCase() === "application/openmetrics-text" && !rejected;
    });
}
