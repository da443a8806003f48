import { describe, expect, it } from "vitest";
import { createLogger, formatLogLine, levelForStatus } from "../../../demo/src/log.ts";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe("demo JSON log lines", () => {
  it("puts the envelope first and keeps the request fields", () => {
    const line = formatLogLine(new Date("2026-01-02T03:04:05.678Z"), "warn", "demo", "GET /api/products/101 404", {
      trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
      span_id: "00f067aa0ba902b7",
      request_id: "r-1",
      http_route: "/api/products/:id",
      status: 404,
      duration_ms: 61.2,
      unset: undefined,
    });
    expect(line).not.toContain("\n");
    const record = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(["time", "level", "service", "message", "trace_id", "span_id", "request_id", "http_route", "status", "duration_ms"]);
    expect(record.time).toMatch(RFC3339);
    expect(record).toMatchObject({ level: "warn", service: "demo", status: 404, duration_ms: 61.2 });
  });

  it("never lets a field overwrite the envelope", () => {
    const record = JSON.parse(formatLogLine(new Date(0), "info", "demo", "real", { level: "debug", message: "fake", service: "other" }));
    expect(record).toEqual({ time: "1970-01-01T00:00:00.000Z", level: "info", service: "demo", message: "real" });
  });

  it("filters by level and carries bound fields into every line", () => {
    const lines: string[] = [];
    const logger = createLogger({ service: "demo", minLevel: "info", write: (line) => lines.push(line), now: () => new Date(0) });
    const request = logger.with({ request_id: "abc", http_route: "/api/search" });
    request.debug("hidden");
    request.info("shown", { status: 200 });
    logger.error("plain");
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith("\n"))).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: "shown", request_id: "abc", http_route: "/api/search", status: 200 });
    expect(JSON.parse(lines[1]!)).not.toHaveProperty("request_id");
  });

  it("logs server errors as errors and client errors as warnings", () => {
    expect([200, 201, 302, 404, 422, 500, 502].map(levelForStatus)).toEqual(["info", "info", "info", "warn", "warn", "error", "error"]);
  });
});
