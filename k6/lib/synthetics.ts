/**
 * Shared by every generated synthetics script (copied next to them where `synthetics` or `validate`
 * renders them). A check is one HTTP request plus named assertions; every sample is tagged
 * `synthetic: <check>` so each check gets thresholds of its own and its own series in Prometheus.
 */
import { check, group } from "k6";
import http from "k6/http";
import type { RefinedResponse, ResponseType } from "k6/http";

export { SUMMARY_MARKER, summarize } from "./summary.ts";

export interface HttpCheck {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  expect: {
    /** Empty: any 2xx. */
    status: number[];
    json: Array<{ path: string[]; equals: string | number | boolean | null }>;
    bodyContains: string[];
    bodyMatches: string | null;
    maxSeconds: number | null;
  };
}

/**
 * Per-check thresholds, keyed the way k6 names sub-metrics. A check run (`strict`) requires every
 * assertion to pass and the response time bound to hold; a load run leaves the verdict to the
 * profile's thresholds. A sub-metric only appears in the summary when a threshold names it, so each
 * check also gets an always-true one: that is how the report shows every check's response time.
 */
export function checkThresholds(checks: readonly HttpCheck[], strict: boolean): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {};
  for (const item of checks) {
    const limit = item.expect.maxSeconds;
    if (strict) thresholds[`checks{synthetic:${item.name}}`] = ["rate==1"];
    thresholds[`http_req_duration{synthetic:${item.name}}`] = [strict && limit !== null ? `max<${Math.round(limit * 1000)}` : "max>=0"];
  }
  return thresholds;
}

export function runChecks(checks: readonly HttpCheck[]): void {
  for (const item of checks) group(item.name, () => runCheck(item));
}

function runCheck(item: HttpCheck): void {
  const tags = { synthetic: item.name };
  const response = http.request(item.method, item.url, item.body, { headers: item.headers, tags, redirects: 5, timeout: "30s" });
  check(response, assertions(item), tags);
}

type Assertion = (response: RefinedResponse<ResponseType | undefined>) => boolean;

function assertions(item: HttpCheck): Record<string, Assertion> {
  const { expect } = item;
  const named: Record<string, Assertion> = {};
  const statusName = expect.status.length === 0 ? "status is 2xx" : `status is ${expect.status.join(" or ")}`;
  named[`${item.name}: ${statusName}`] = (r) => (expect.status.length === 0 ? r.status >= 200 && r.status < 300 : expect.status.includes(r.status));
  for (const field of expect.json) {
    named[`${item.name}: json ${field.path.join(".")} == ${JSON.stringify(field.equals)}`] = (r) => jsonField(bodyText(r), field.path) === field.equals;
  }
  for (const text of expect.bodyContains) named[`${item.name}: body contains ${JSON.stringify(text)}`] = (r) => bodyText(r).includes(text);
  if (expect.bodyMatches !== null) {
    const pattern = new RegExp(expect.bodyMatches);
    named[`${item.name}: body matches /${expect.bodyMatches}/`] = (r) => pattern.test(bodyText(r));
  }
  if (expect.maxSeconds !== null) {
    const limitMs = Math.round(expect.maxSeconds * 1000);
    named[`${item.name}: responds within ${limitMs}ms`] = (r) => r.timings.duration < limitMs;
  }
  return named;
}

function bodyText(response: RefinedResponse<ResponseType | undefined>): string {
  return typeof response.body === "string" ? response.body : "";
}

/** undefined when the body is not JSON or the path is missing, so it never equals an expected value. */
function jsonField(body: string, path: readonly string[]): unknown {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
