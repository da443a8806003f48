import { describe, expect, it } from "vitest";
import { stepProblems, type HeadroomStep } from "../../../bench/headroom.ts";

const clean: Omit<HeadroomStep, "ok" | "problems"> = {
  rate: 1000,
  seconds: 20.5,
  sent: 20_000,
  achievedRate: 975.6,
  clientError: undefined,
  // The demo's own spans and points come on top of what the client sent.
  delta: { acceptedSpans: 20_150, refusedSpans: 0, acceptedPoints: 20_040, refusedPoints: 0, failed: 0, jaegerAccepted: 20_150, samplesAppended: 31_000 },
  maxQueue: 1_000,
  drainSeconds: 20.1,
};

describe("stepProblems", () => {
  it("passes a step where everything sent was accepted end to end, at the asked rate, and the queues drained", () => {
    expect(stepProblems(clean)).toEqual([]);
  });

  it("names each way a step can fall short", () => {
    expect(stepProblems({ ...clean, delta: { ...clean.delta, refusedPoints: 12 } })).toEqual(["the Collector refused 0 spans and 12 points"]);
    expect(stepProblems({ ...clean, delta: { ...clean.delta, failed: 3 } })).toEqual(["the Collector failed to send or enqueue 3 items"]);
    expect(stepProblems({ ...clean, delta: { ...clean.delta, jaegerAccepted: 19_000 } })).toEqual(["Jaeger accepted 19000 spans of 20000"]);
    expect(stepProblems({ ...clean, drainSeconds: undefined })).toEqual(["the Collector's queues did not drain within 2 minutes (a backend lags)"]);
    expect(stepProblems({ ...clean, achievedRate: 850 })[0]).toMatch(/^the client reached 850 a second of the 1000 asked/);
    expect(stepProblems({ ...clean, clientError: "telemetrygen metrics exited with 1" })).toEqual(["the client failed: telemetrygen metrics exited with 1"]);
  });
});
