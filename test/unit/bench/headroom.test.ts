import { describe, expect, it } from "vitest";
import { clientFailure, loadPlan, telemetrygenArgs } from "../../../bench/headroom-load.ts";
import { nextRate, stepProblems, sustainedRate, type HeadroomStep } from "../../../bench/headroom.ts";

const clean: Omit<HeadroomStep, "ok" | "problems"> = {
  rate: 4000,
  plan: loadPlan("logs", 4000, 20),
  seconds: 20.4,
  achievedRate: 3921.6,
  clientError: undefined,
  // The stack's own traffic (containers' logs) comes on top of what the client sent.
  delta: { accepted: 80_000, refused: 0, sent: 80_950, sendFailed: 0, enqueueFailed: 0, backend: 80_950 },
  maxQueue: 1_200,
  drainSeconds: 1.1,
  hostBusy: 0.8,
  topCpu: [{ service: "otel-collector", cores: 0.9 }],
  restarted: [],
};

const counters = (problems: ReturnType<typeof stepProblems>) => problems.map((problem) => `${problem.by}: ${problem.counter}`);

describe("stepProblems", () => {
  it("passes a step where everything sent was taken end to end, at the asked rate, and the queue kept up", () => {
    expect(clean.plan.total).toBe(80_000);
    expect(stepProblems("logs", clean)).toEqual([]);
  });

  it("names the counter that shows each way the stack falls short", () => {
    expect(counters(stepProblems("logs", { ...clean, delta: { ...clean.delta, refused: 12, accepted: 79_988 } }))).toEqual(["stack: otelcol_receiver_refused_log_records"]);
    expect(counters(stepProblems("points", { ...clean, plan: loadPlan("points", 4000, 20), delta: { ...clean.delta, sendFailed: 1000, sent: 79_950 } }))).toEqual([
      "stack: otelcol_exporter_send_failed_metric_points",
      "stack: otelcol_exporter_sent_metric_points",
    ]);
    // A full queue refuses at the receiver: both counters show it.
    expect(counters(stepProblems("spans", { ...clean, plan: loadPlan("spans", 4000, 20), delta: { ...clean.delta, refused: 512, enqueueFailed: 512, accepted: 79_488 } }))).toEqual([
      "stack: otelcol_receiver_refused_spans",
      "stack: otelcol_exporter_enqueue_failed_spans",
    ]);
    expect(counters(stepProblems("logs", { ...clean, delta: { ...clean.delta, backend: 70_000 } }))).toEqual(["stack: otelcol_receiver_accepted_log_records (Loki door)"]);
    expect(stepProblems("spans", { ...clean, plan: loadPlan("spans", 4000, 20), delta: { ...clean.delta, backend: 70_000 } })[0]?.text).toBe("Jaeger accepted 70000 of the 80000 spans");
    expect(stepProblems("logs", { ...clean, drainSeconds: undefined })[0]?.text).toMatch(/did not empty within 30 s/);
    expect(stepProblems("logs", { ...clean, maxQueue: 8_001 })[0]?.text).toMatch(/held 8001 log records, over 2 s of the rate/);
  });

  it("names a container the engine restarted during the step, first", () => {
    const crashed = { ...clean, plan: loadPlan("spans", 4000, 20), restarted: ["jaeger"], delta: { ...clean.delta, backend: -2_000 } };
    expect(counters(stepProblems("spans", crashed))).toEqual(["stack: container restarts", "stack: otelcol_receiver_accepted_spans (Jaeger)"]);
    expect(stepProblems("spans", crashed)[0]?.text).toBe("jaeger restarted (it crashed or hit its memory limit), losing what it held");
  });

  it("tells a client that fell short from the stack", () => {
    expect(counters(stepProblems("logs", { ...clean, achievedRate: 3500 }))).toEqual(["client: telemetrygen"]);
    expect(counters(stepProblems("logs", { ...clean, clientError: "telemetrygen logs exited with 1" }))).toEqual(["client: telemetrygen"]);
    // Spans the Collector never saw and did not refuse were dropped by telemetrygen's span queue.
    const spans = { ...clean, plan: loadPlan("spans", 4000, 20), delta: { ...clean.delta, accepted: 60_000 } };
    expect(counters(stepProblems("spans", spans))).toEqual(["client: otelcol_receiver_accepted_spans"]);
    // The same shortfall of log records (exported synchronously) is the receiver's.
    expect(counters(stepProblems("logs", { ...clean, delta: { ...clean.delta, accepted: 60_000 } }))).toEqual(["stack: otelcol_receiver_accepted_log_records"]);
  });
});

describe("nextRate", () => {
  const plan = { rates: [1000, 2000, 4000, 8000], refinements: 2 };
  const steps = (...list: Array<[number, boolean]>) => list.map(([rate, ok]) => ({ rate, ok }));

  it("climbs the planned rates while every step passes, and stops at their end", () => {
    expect(nextRate([], plan)).toBe(1000);
    expect(nextRate(steps([1000, true], [2000, true]), plan)).toBe(4000);
    expect(nextRate(steps([1000, true], [2000, true], [4000, true], [8000, true]), plan)).toBeUndefined();
  });

  it("then halves the gap between the highest rate passed and the lowest failed, as often as planned", () => {
    expect(nextRate(steps([1000, true], [2000, true], [4000, false]), plan)).toBe(3000);
    expect(nextRate(steps([1000, true], [2000, true], [4000, false], [3000, true]), plan)).toBe(3500);
    expect(nextRate(steps([1000, true], [2000, true], [4000, false], [3000, false]), plan)).toBe(2500);
    expect(nextRate(steps([1000, true], [2000, true], [4000, false], [3000, true], [3500, false]), plan)).toBeUndefined();
    expect(nextRate(steps([1000, true], [2000, false]), { ...plan, refinements: 0 })).toBeUndefined();
  });

  it("stops when the first rate fails: there is nothing to refine below it", () => {
    expect(nextRate(steps([1000, false]), plan)).toBeUndefined();
  });

  it("sustainedRate is the highest rate passed below the lowest failed", () => {
    expect(sustainedRate(steps([1000, true], [2000, true], [4000, false], [3000, true], [3500, false]))).toBe(3000);
    expect(sustainedRate(steps([1000, true], [2000, true]))).toBe(2000);
    expect(sustainedRate(steps([1000, false]))).toBeUndefined();
  });
});

describe("loadPlan", () => {
  it("spreads a rate over processes of at most 4,000 a second and workers of at most 500, sending exactly what it says", () => {
    expect(loadPlan("logs", 1000, 20)).toEqual({ processes: 1, workers: 2, ratePerWorker: 500, perWorker: 10_000, total: 20_000 });
    expect(loadPlan("logs", 16_000, 20)).toEqual({ processes: 4, workers: 8, ratePerWorker: 500, perWorker: 10_000, total: 320_000 });
  });

  it("sends whole traces of two spans", () => {
    const plan = loadPlan("spans", 1500, 10);
    expect(plan.perWorker % 2).toBe(0);
    expect(plan.total).toBe(plan.perWorker * plan.processes * plan.workers);
    expect(telemetrygenArgs("spans", plan, "s")).toEqual(expect.arrayContaining(["--traces", String(plan.perWorker / 2), "--child-spans", "1"]));
  });

  it("keeps a worker's metric points few enough that --unique-timeseries stays cheap, and its batches under a fifth of a second", () => {
    const plan = loadPlan("points", 8000, 20);
    expect(plan.perWorker).toBeLessThanOrEqual(2500);
    expect(plan.processes).toBe(2);
    const args = telemetrygenArgs("points", plan, "s");
    const batch = Number(args[args.indexOf("--batch-size") + 1]);
    expect(batch / plan.ratePerWorker).toBeLessThanOrEqual(0.2);
    expect(args).toContain("--unique-timeseries");
  });
});

describe("clientFailure", () => {
  it("finds why telemetrygen failed among its lines per batch", () => {
    const output = [
      "telemetrygen metrics exited with 1: go:277\texported batch\t{\"worker\": 2, \"count\": 33}",
      "2026-11-30T00:40:16.312Z\tFATAL\tmetrics/worker.go:274\tfailed to export batch\t{\"error\": \"rpc error: code = Unavailable desc = data refused due to high memory usage\"}",
      "2026-11-30T00:40:16.313Z\tDEBUG\tmetrics/worker.go:277\texported batch\t{\"worker\": 0, \"count\": 33}",
      "",
    ].join("\n");
    expect(clientFailure(output)).toMatch(/^2026-11-30T00:40:16.312Z\tFATAL.*high memory usage"\}$/);
    expect(clientFailure("telemetrygen logs exited with SIGTERM: \n")).toBe("telemetrygen logs exited with SIGTERM:");
  });
});
