/**
 * What "working" means for one service: checks derived from its health endpoints plus custom HTTP and
 * TCP checks, probed continuously by blackbox and run on demand by k6 (`npm run synthetics`), and
 * optional load profiles with pass/fail thresholds.
 */
import { z } from "zod";
import { duration, hostPort, re2Regex, slug, textBlock, textLine, urlPath } from "../value-types.ts";

const statusCode = z.number().int("must be a whole number").min(100, "must be an HTTP status code (100-599)").max(599, "must be an HTTP status code (100-599)");

/** Dot-separated keys; each key becomes an index in the CEL (blackbox) and JS (k6) lookups. */
const JSON_FIELD_PATH = /^[A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*$/;

const expectations = z
  .strictObject({
    status: z
      .union([statusCode, z.array(statusCode).min(1, "needs at least one status code")])
      .optional()
      .describe("Expected status code or codes; any 2xx when omitted."),
    json: z
      .record(
        z.string().regex(JSON_FIELD_PATH, 'must be a dot-separated field path such as "status" or "checks.db.status"'),
        z.union([textBlock, z.number(), z.boolean(), z.null()]),
      )
      .default({})
      .describe('JSON body fields that must equal these values, e.g. { status: "ok", "checks.db": "up" }.'),
    bodyContains: z.array(textBlock.min(1, "must not be empty")).default([]).describe("Texts the body must contain."),
    bodyMatches: re2Regex.optional().describe("RE2 regex the body must match."),
    maxDuration: duration.optional().describe('Fail when the response takes longer than this, e.g. "500ms".'),
    certificateDaysLeft: z
      .number()
      .int("must be a whole number of days")
      .positive("must be at least 1 day")
      .optional()
      .describe("HTTPS only: alert when the certificate expires within this many days (checked by blackbox)."),
  })
  .prefault({});

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

const httpCheck = z.strictObject({
  name: slug.describe("Unique per service; names the blackbox job, the k6 checks and the report lines."),
  method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).default("GET"),
  path: urlPath.describe("Path (and query) appended to the service URL."),
  headers: z.record(z.string().regex(HEADER_NAME, "must be an HTTP header name"), textLine).default({}),
  body: textBlock.min(1, "must not be empty; leave body out to send none").optional().describe("Request body, sent as is."),
  expect: expectations,
  continuous: z
    .boolean()
    .default(true)
    .describe("Also probe it continuously with blackbox; false runs it only in `npm run synthetics`."),
});

const tcpCheck = z.strictObject({
  name: slug,
  address: hostPort.describe('"host:port" that must accept a TCP connection, e.g. "postgres:5432".'),
});

const loadProfile = z.strictObject({
  stages: z
    .array(
      z.strictObject({
        duration: duration,
        target: z.number().int("must be a whole number of virtual users").min(0, "must be 0 or more virtual users"),
      }),
    )
    .min(1, "needs at least one stage, e.g. [{ duration: \"30s\", target: 10 }]")
    .describe("Ramp up, hold, ramp down: k6 ramping-vus stages."),
  thresholds: z
    .strictObject({
      p95: duration.optional().describe("The 95th percentile of request durations must stay under this."),
      p99: duration.optional().describe("The 99th percentile of request durations must stay under this."),
      errorRate: z.number().min(0).max(1).optional().describe("Share of failed requests must stay under this, e.g. 0.01."),
      checksPassRate: z.number().min(0).max(1).default(0.99).describe("Share of passing checks must be at least this."),
    })
    .prefault({}),
});

export const syntheticsSchema = z
  .strictObject({
    healthChecks: z.boolean().default(true).describe("Derive checks from the service's health endpoints."),
    checks: z.array(httpCheck).default([]).describe("Custom HTTP checks."),
    tcp: z.array(tcpCheck).default([]).describe("TCP connect checks (blackbox only)."),
    interval: duration
      .optional()
      .describe("How often blackbox runs the continuous checks. Omitted: derived from alerting.latencyBudget.warning (30s with the default)."),
    alertAfter: duration
      .optional()
      .describe("A continuous check failing this long fires HealthProbeFailing. Omitted: the longest that meets alerting.latencyBudget.warning (3m30s with the defaults)."),
    profiles: z
      .record(slug, loadProfile)
      .default({})
      .describe("Load profiles for `npm run synthetics -- --profile NAME`: stages and thresholds."),
  })
  .prefault({});

export type SyntheticsConfig = z.output<typeof syntheticsSchema>;
export type HttpCheckConfig = SyntheticsConfig["checks"][number];
export type LoadProfileConfig = SyntheticsConfig["profiles"][string];
