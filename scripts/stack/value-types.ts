/**
 * Reusable field types of the config schema; each message says what a valid value looks like, and
 * each type accepts only what the component that reads the value accepts (see syntax/).
 */
import { z } from "zod";
import { durationToSeconds, MAX_DURATION_SECONDS } from "./syntax/durations.ts";
import { goTimeZoneSuggestion, isGoTimeZone } from "./syntax/go-time-zones.ts";
import { imageReferenceProblem } from "./syntax/image-reference.ts";
import { readMatcher } from "./syntax/label-matcher.ts";
import { describeInput, quoteForMessage } from "./syntax/message-values.ts";
import { parseRe2, re2SyntaxError } from "./syntax/re2.ts";
import { forbiddenCharacter, type TextShape } from "./syntax/text.ts";

/** What config/zod-issues.ts turns into a ConfigIssue's hint. */
export interface IssueParams {
  hint: string;
}

/** A refinement that reports `problem(value)` (with an optional hint) when it is defined. */
export function refuse<T>(problem: (value: T) => string | { message: string; hint: string } | undefined) {
  return (value: T, ctx: z.RefinementCtx) => {
    const found = problem(value);
    if (found === undefined) return;
    if (typeof found === "string") ctx.addIssue({ code: "custom", message: found });
    else ctx.addIssue({ code: "custom", message: found.message, params: { hint: found.hint } satisfies IssueParams });
  };
}

const TEXT_HINTS: Readonly<Record<TextShape, string>> = {
  line: "this value is written on one line of a generated file: remove line breaks, tabs and control characters",
  block: "control characters, lone surrogates and U+2028/U+2029 cannot be written into the generated files: remove them",
};

const textOf = (shape: TextShape) =>
  z.string().superRefine(
    refuse((value: string) => {
      const found = forbiddenCharacter(value, shape);
      return found && { message: `contains ${found.description} at position ${found.index + 1}`, hint: TEXT_HINTS[shape] };
    }),
  );

/** Free text on one line (names, label values, channels), possibly empty. */
export const textLine = textOf("line");
/** Free text on one line that must say something: the common case. */
export const text = textLine.min(1, "must not be empty");
/** Free text that may span lines (a request body, an expected body text), possibly empty. */
export const textBlock = textOf("block");

/** Prometheus's duration format: units from largest to smallest, each at most once. */
export const DURATION_PATTERN = /^(?=\d)(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;
export const duration = z
  .string()
  .regex(DURATION_PATTERN, 'must be a duration such as "30s", "5m", "1h30m" or "15d" (units largest first: y, w, d, h, m, s, ms)')
  .refine((value) => !/^(?:0+(?:y|w|d|h|m|s|ms))+$/.test(value), "must be longer than zero")
  .refine((value) => !DURATION_PATTERN.test(value) || durationToSeconds(value) <= MAX_DURATION_SECONDS, "must be at most 292y (Go's longest duration)");

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

/** Text that is reported once: a value with a forbidden character gets that issue only, not also its format's. */
export const formatOfLine = (problem: (value: string) => string | { message: string; hint: string } | undefined) =>
  textLine.superRefine(refuse((value: string) => (forbiddenCharacter(value, "line") ? undefined : problem(value))));

export const urlPath = formatOfLine((path) => (/^\/\S*$/.test(path) ? undefined : 'must start with "/" and contain no spaces (a path such as "/healthz")'));

export const ratio = z
  .number()
  .gt(0, "must be between 0 and 1, exclusive (e.g. 0.999 for 99.9%)")
  .lt(1, "must be between 0 and 1, exclusive (e.g. 0.999 for 99.9%)");

/** Names that end up in container names, job labels and file names. */
export const slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and dashes, starting with a letter");

/** A Prometheus label name; names starting with "__" are Prometheus's own, dropped after relabelling. */
export const labelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a Prometheus label name (letters, digits, underscores, not starting with a digit)")
  .refine((name) => !name.startsWith("__"), 'must not start with "__": Prometheus reserves those label names for itself');

export const httpUrl = formatOfLine((value) =>
  isHttpUrl(value)
    ? undefined
    : { message: 'must be an absolute http(s) URL such as "http://api:8080"', hint: "spaces and other special characters must be percent-encoded (%20)" },
);

function isHttpUrl(value: string): boolean {
  // The URL parser would quietly drop tabs and line breaks, and tolerates spaces; the files get the value as written.
  if (/\s/.test(value)) return false;
  try {
    const parsed = new URL(value);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname !== "";
  } catch {
    return false;
  }
}

export const ipAddress = z.union([z.ipv4(), z.ipv6()], {
  error: (issue) => `must be an IP address such as "127.0.0.1" or "0.0.0.0", got ${describeInput(issue.input)}`,
});

/**
 * A file on the host that Compose bind-mounts at the same path in a container: an absolute path (a
 * relative one would resolve against the bundle directory), without ":" or "," (Compose's volume
 * syntax splits on them).
 */
export const hostFilePath = formatOfLine((path) => {
  if (!path.startsWith("/")) return { message: "must be an absolute path", hint: 'write the full path, e.g. "/etc/ssl/obs/fullchain.pem"' };
  if (/[:,]/.test(path)) return { message: 'must not contain ":" or ","', hint: "Compose's volume syntax splits on them: move or link the file to a path without them" };
  return undefined;
});

/**
 * An HTTP header a backend needs (a tenant, an org id): an RFC 9110 token. Not those the sender
 * sets itself or the credentials, which have fields of their own that keep them out of the files.
 */
const RESERVED_HEADERS = new Set(
  ["authorization", "proxy-authorization", "host", "content-encoding", "content-length", "content-type", "user-agent", "connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer", "www-authenticate", "proxy-authenticate", "accept-encoding", "x-prometheus-remote-write-version", "x-prometheus-remote-read-version", "x-prometheus-scrape-timeout-seconds"],
);
export const httpHeaderName = formatOfLine((name) => {
  // RFC 9110's token characters but "$", which the Collector and Compose would expand.
  if (!/^[!#%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return 'must be an HTTP header name such as "X-Scope-OrgID" (letters, digits, dashes)';
  if (RESERVED_HEADERS.has(name.toLowerCase()))
    return { message: "is set by the sender itself or carries credentials", hint: "credentials have fields of their own (bearerTokenEnv, basicAuth), read from the environment; other reserved headers cannot be set" };
  return undefined;
});

/** A DNS name (letters, digits, dashes, dots) or an IP address: what a certificate is issued for, what a host is reached by. */
export const hostName = formatOfLine((name) =>
  z.union([z.ipv4(), z.ipv6()]).safeParse(name).success || /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(name)
    ? undefined
    : 'must be a host name such as "obs.example.com" or an IP address',
);

/** `host:port` as written in exporter targets and SMTP smarthosts. */
export const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be "host:port", e.g. "redis:6379"')
  .refine((value) => !/:\d+$/.test(value) || Number(value.slice(value.lastIndexOf(":") + 1)) <= 65535, "must have a port between 1 and 65535");

/**
 * A regex that Go's RE2 compiles: every component a config regex reaches (Prometheus, Alertmanager,
 * Loki, Promtail, Alloy, the Collector, blackbox) is written in Go.
 */
export const re2Regex = formatOfLine((pattern) => {
  const error = re2SyntaxError(pattern);
  return (
    error && {
      message: `is not a regex Go's RE2 accepts: ${error}`,
      hint: "RE2 has no lookaround, backreferences or possessive repeats; see https://github.com/google/re2/wiki/Syntax",
    }
  );
});

export function captureGroupCount(pattern: string): number {
  const parsed = parseRe2(pattern);
  return "error" in parsed ? 0 : parsed.captures.length;
}

/** `label op "value"`, as Prometheus selectors and Alertmanager routes read it. */
export const labelMatcher = formatOfLine((text) => {
  const matcher = readMatcher(text);
  return "problem" in matcher ? matcher.problem : undefined;
});

/** A time zone Alertmanager loads: Go's names, case-sensitive, not JavaScript's (see syntax/go-time-zones.ts). */
export const timeZone = z.string().superRefine(
  refuse((name: string) => {
    if (isGoTimeZone(name)) return undefined;
    const suggestion = goTimeZoneSuggestion(name);
    return {
      message: `${quoteForMessage(name)} is not a time zone Go knows (names are case-sensitive)`,
      hint: suggestion ? `did you mean "${suggestion}"?` : 'use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"',
    };
  }),
);

/** An image reference Docker and Compose parse (registry host, lowercase path, tag, digest). */
export const imageReference = z.string().superRefine(
  refuse((reference: string) => {
    const problem = imageReferenceProblem(reference);
    return problem && { message: `is not an image reference: ${problem}`, hint: 'e.g. "registry.internal:5000/prom/prometheus:v3.16.0"' };
  }),
);
