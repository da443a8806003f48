/**
 * JSON logs, one object per line on stdout, shaped for the stack's log pipeline: `time` (RFC 3339),
 * `level`, `service`, `message`, then fields such as trace_id, span_id, request_id, http_route,
 * status and duration_ms. Fields that are undefined are left out rather than written as null.
 */
export const LEVELS = ["debug", "info", "warn", "error"] as const;
export type Level = (typeof LEVELS)[number];

export type LogValue = string | number | boolean | undefined;
export type LogFields = Record<string, LogValue>;

const RESERVED = new Set(["time", "level", "service", "message"]);

export function formatLogLine(time: Date, level: Level, service: string, message: string, fields: LogFields): string {
  const record: Record<string, string | number | boolean> = { time: time.toISOString(), level, service, message };
  for (const [key, value] of Object.entries(fields)) {
    // A field can never masquerade as the envelope the pipeline parses.
    if (value !== undefined && !RESERVED.has(key)) record[key] = value;
  }
  return JSON.stringify(record);
}

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. one request's trace and route). */
  with(fields: LogFields): Logger;
}

export interface LoggerOptions {
  service: string;
  minLevel: Level;
  write: (line: string) => void;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const threshold = LEVELS.indexOf(options.minLevel);
  const now = options.now ?? (() => new Date());
  const emit = (level: Level) => (message: string, fields: LogFields = {}) => {
    if (LEVELS.indexOf(level) < threshold) return;
    options.write(`${formatLogLine(now(), level, options.service, message, { ...bound, ...fields })}\n`);
  };
  return {
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    with: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** Access-log level: server errors are errors, client errors are warnings. */
export function levelForStatus(status: number): Level {
  if (status >= 500) return "error";
  if (status >= 400) return "warn";
  return "info";
}
