/** Reusable field types of the config schema; each message says what a valid value looks like. */
import { z } from "zod";

/** Prometheus's duration format: units from largest to smallest, each at most once. */
export const DURATION_PATTERN = /^(?=\d)(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;
export const duration = z
  .string()
  .regex(DURATION_PATTERN, 'must be a duration such as "30s", "5m", "1h30m" or "15d" (units largest first: y, w, d, h, m, s, ms)')
  .refine((value) => !/^(?:0+(?:y|w|d|h|m|s|ms))+$/.test(value), "must be longer than zero");

export const memory = z
  .string()
  .regex(/^\d+(?:\.\d+)?[kmg]$/i, 'must be a memory size such as "256m" or "2g" (units: k, m, g)');

export const size = z
  .string()
  .regex(/^\d+(?:KB|MB|GB|TB|PB)$/, 'must be a size such as "10GB" (units: KB, MB, GB, TB, PB)');

export const port = z
  .number()
  .int("must be a whole number")
  .min(1, "must be a port between 1 and 65535")
  .max(65535, "must be a port between 1 and 65535");

export const envVarName = z
  .string()
  .regex(
    /^[A-Z_][A-Z0-9_]*$/,
    'must be the NAME of an environment variable (e.g. "SLACK_WEBHOOK_URL"), not the secret itself',
  );

export const urlPath = z.string().regex(/^\/\S*$/, 'must start with "/" (a path such as "/healthz")');

export const ratio = z
  .number()
  .gt(0, "must be between 0 and 1, exclusive (e.g. 0.999 for 99.9%)")
  .lt(1, "must be between 0 and 1, exclusive (e.g. 0.999 for 99.9%)");

/** Names that end up in container names, job labels and file names. */
export const slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes, starting with a letter");

export const labelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a Prometheus label name (letters, digits, underscores)");

export const httpUrl = z.string().refine(isHttpUrl, 'must be an absolute http(s) URL such as "http://api:8080"');

function isHttpUrl(value: string): boolean {
  try {
    const parsed = new URL(value);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname !== "";
  } catch {
    return false;
  }
}

export const ipAddress = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IP address such as "127.0.0.1" or "0.0.0.0"' });

/** `host:port` as written in exporter targets and SMTP smarthosts. */
export const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be "host:port", e.g. "redis:6379"');

/**
 * Log scrubbing and drop rules run inside Promtail/Alloy, which use Go's RE2: it has no lookaround
 * and no backreferences, so a pattern that JavaScript accepts can still fail there at runtime.
 */
export function re2Problem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
  if (/\(\?<?[=!]/.test(pattern)) return "uses lookaround, which RE2 (Go) does not support";
  if (/\\[1-9]|\\k</.test(pattern)) return "uses a backreference, which RE2 (Go) does not support";
  return undefined;
}

export const re2Regex = z.string().superRefine((pattern, ctx) => {
  const problem = re2Problem(pattern);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export function captureGroupCount(pattern: string): number {
  // An empty alternative always matches, so exec returns every group (undefined or not).
  return (new RegExp(`${pattern}|`).exec("")?.length ?? 1) - 1;
}
