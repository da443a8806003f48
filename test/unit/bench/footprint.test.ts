import { describe, expect, it } from "vitest";
import { cpuCoresBetween, limitFor, suggestedLimit, workingSetBytes, type EngineStats } from "../../../bench/footprint.ts";

const stats = (read: string, cpuNs: number, memory: EngineStats["memory_stats"]): EngineStats => ({ read, cpu_stats: { cpu_usage: { total_usage: cpuNs } }, memory_stats: memory });

describe("workingSetBytes", () => {
  it("is usage less the inactive file cache, on cgroup v2 and v1 alike", () => {
    expect(workingSetBytes(stats("2026-01-01T00:00:00Z", 0, { usage: 100_000, stats: { inactive_file: 30_000, active_file: 5_000 } }))).toBe(70_000);
    expect(workingSetBytes(stats("2026-01-01T00:00:00Z", 0, { usage: 100_000, stats: { total_inactive_file: 40_000 } }))).toBe(60_000);
  });

  it("is never negative, and 0 for a container the engine reports no memory for", () => {
    expect(workingSetBytes(stats("2026-01-01T00:00:00Z", 0, { usage: 10, stats: { inactive_file: 20 } }))).toBe(0);
    expect(workingSetBytes(stats("2026-01-01T00:00:00Z", 0, {}))).toBe(0);
  });
});

describe("cpuCoresBetween", () => {
  it("is the CPU time used between two samples over the wall time between them", () => {
    // 3 s of CPU in 10 s of wall time: 0.3 of a core.
    const first = stats("2026-01-01T00:00:00.000Z", 5e9, {});
    const last = stats("2026-01-01T00:00:10.000Z", 8e9, {});
    expect(cpuCoresBetween(first, last)).toBeCloseTo(0.3, 9);
  });

  it("is 0 for two samples taken at the same moment", () => {
    const sample = stats("2026-01-01T00:00:00Z", 5e9, {});
    expect(cpuCoresBetween(sample, sample)).toBe(0);
  });
});

describe("suggestedLimit", () => {
  it("doubles the peak working set and rounds up to 32 MiB, written as the catalog writes limits", () => {
    expect(suggestedLimit(100)).toBe("224m");
    expect(suggestedLimit(112)).toBe("224m");
    expect(suggestedLimit(113)).toBe("256m");
    expect(suggestedLimit(512)).toBe("1g");
  });

  it("never goes under the floor", () => {
    expect(suggestedLimit(5)).toBe("64m");
    expect(suggestedLimit(5, 128)).toBe("128m");
  });
});

describe("limitFor", () => {
  it("gives a stateless component twice its peak over the 64 MiB floor", () => {
    expect(limitFor("blackbox", 13)).toEqual({ limit: "64m", why: "stateless" });
    expect(limitFor("blackbox", 70)).toEqual({ limit: "160m", why: "stateless" });
  });

  it("gives one whose memory grows with what users send a 128 MiB floor, saying why", () => {
    expect(limitFor("alertmanager", 15)).toEqual({ limit: "128m", why: "holds the firing alerts, silences and notification log" });
  });

  it("keeps the limit of a component holding the ingested telemetry, whatever its idle footprint", () => {
    expect(limitFor("prometheus", 77)).toHaveProperty("keep");
    expect(limitFor("otelCollector", 31)).toHaveProperty("keep");
  });
});
