import { describe, expect, it } from "vitest";
import { failureCheck, healthReply, readinessReply } from "../../../demo/src/lifecycle.ts";
import { RateLimitedReporter } from "../../../demo/src/rate-limited.ts";

function clock(start: number) {
  const state = { now: start };
  return { state, now: () => new Date(state.now) };
}

describe("rate-limited failure reports", () => {
  it("reports the first failure, then at most once per interval with the count held back", () => {
    const { state, now } = clock(0);
    const reports: Array<[string, number]> = [];
    const reporter = new RateLimitedReporter(60_000, (message, suppressed) => reports.push([message, suppressed]), now);
    for (let second = 0; second < 150; second += 5) {
      state.now = second * 1000;
      reporter.failure(`ECONNREFUSED at ${second}s`);
    }
    expect(reports).toEqual([
      ["ECONNREFUSED at 0s", 0],
      ["ECONNREFUSED at 60s", 11],
      ["ECONNREFUSED at 120s", 11],
    ]);
    expect(reporter.lastError).toBe("ECONNREFUSED at 145s");
  });

  it("counts as failing only while failures are recent", () => {
    const { state, now } = clock(1_000);
    const reporter = new RateLimitedReporter(60_000, () => undefined, now);
    expect(reporter.failingAt(now())).toBe(false);
    reporter.failure("boom");
    expect(failureCheck(reporter, new Date(30_000), { rps: 5 })).toEqual({ status: "failing", rps: 5, last_error: "boom", last_error_at: "1970-01-01T00:00:01.000Z" });
    state.now = 61_001;
    expect(failureCheck(reporter, now(), { rps: 5 })).toEqual({ status: "ok", rps: 5 });
  });
});

describe("readiness and health", () => {
  it("is ready only between start and drain", () => {
    expect(readinessReply("starting").status).toBe(503);
    expect(readinessReply("ready")).toMatchObject({ status: 200, body: "ok\n" });
    expect(readinessReply("draining")).toMatchObject({ status: 503, body: "draining\n" });
  });

  it("reports degraded (still 200) when a dependency check fails, 503 while draining", () => {
    const ok = healthReply("ready", 12.34, { traces_export: { status: "ok" } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ status: "ok", checks: { traces_export: { status: "ok" } }, uptime_seconds: 12.3 });
    const degraded = healthReply("ready", 1, { traces_export: { status: "failing", last_error: "ECONNREFUSED" }, background_traffic: { status: "disabled" } });
    expect(degraded.status).toBe(200);
    expect(JSON.parse(degraded.body).status).toBe("degraded");
    const draining = healthReply("draining", 1, {});
    expect(draining.status).toBe(503);
    expect(JSON.parse(draining.body).status).toBe("draining");
  });
});
