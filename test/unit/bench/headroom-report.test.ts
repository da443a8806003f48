import { describe, expect, it } from "vitest";
import type { HeadroomResult, HeadroomStep, Ladder } from "../../../bench/headroom.ts";
import { loadPlan } from "../../../bench/headroom-load.ts";
import { benchmarksMarkdown } from "../../../bench/report.ts";
import type { Measured } from "../../../bench/results.ts";

const machine = { cpus: 2, cpuModel: "AMD EPYC", memoryGb: 23.5, node: "v20.20.2", platform: "linux x64", load: { before: 0.4, after: 1.1 } };

function step(rate: number, problems: HeadroomStep["problems"] = []): HeadroomStep {
  const plan = loadPlan("logs", rate, 20);
  return {
    rate,
    plan,
    seconds: 20.2,
    achievedRate: plan.total / 20.2,
    clientError: undefined,
    delta: { accepted: plan.total, refused: 0, sent: plan.total, sendFailed: 0, enqueueFailed: 0, backend: plan.total + 40 },
    maxQueue: 300,
    drainSeconds: 1.2,
    hostBusy: 0.71,
    topCpu: [{ service: "otel-collector", cores: 0.83 }],
    restarted: [],
    ok: problems.length === 0,
    problems,
  };
}

const ladder = (signal: Ladder["signal"], steps: HeadroomStep[], sustainedRate: number | undefined): Ladder => ({
  signal,
  date: "2026-11-30T00:10:00.000Z",
  load: { before: 1.2, after: 2.5 },
  plan: { rates: [1000, 2000, 4000], stepSeconds: 20, refinements: 2, budgetSeconds: 240 },
  steps,
  sustainedRate,
  peakWorkingSetMb: { "otel-collector": 81.4 },
  stoppedEarly: undefined,
});

const measured = (result: HeadroomResult): Measured<HeadroomResult> => ({ date: "2026-11-30T00:20:00.000Z", machine, stack: { engine: "Docker Engine 29.8.0", notBooted: { loki: "AGPL" } }, result });

describe("the headroom section", () => {
  it("gives each signal's sustained rate and the counter that showed the limit, the stack's before the client's", () => {
    const refused = { by: "stack" as const, counter: "otelcol_receiver_refused_log_records", text: "the Collector refused 12 log records (its memory limiter)" };
    const slow = { by: "client" as const, counter: "telemetrygen", text: "the client reached 3000 a second of the 4000 asked" };
    const markdown = benchmarksMarkdown({ headroom: measured({ ladders: { logs: ladder("logs", [step(1000), step(2000), step(4000, [slow, refused]), step(3000)], 3000) } }) });
    expect(markdown).toContain(
      "| log records | 3000 | at 4000/s the stack fell short first: the Collector refused 12 log records (its memory limiter) (`otelcol_receiver_refused_log_records`) | 2026-11-30T00:10:00.000Z | 1.2 → 2.5 |",
    );
    // Steps in rate order, the refinement between its neighbours.
    expect(markdown.indexOf("| 3000 | 4 | 1 × 6 |")).toBeGreaterThan(markdown.indexOf("| 2000 | 2 | 1 × 4 |"));
    expect(markdown.indexOf("| 3000 | 4 | 1 × 6 |")).toBeLessThan(markdown.indexOf("| 4000 | 3 | 1 × 8 |"));
    expect(markdown).toContain("| 1000 | 1 | 1 × 2 | 20000 in 20.2 s (990/s) | 20000 / 0 | 20000 / 0 / 0 | 20040 | 300 | 1.2 | 71% | otel-collector 0.83 | ok |");
    expect(markdown).toContain("Loki's own ingest rate is not");
    const restarted = benchmarksMarkdown({ headroom: measured({ ladders: { logs: ladder("logs", [{ ...step(1000), delta: { ...step(1000).delta, backend: -5 } }], undefined) } }) });
    expect(restarted).toContain("| -5 (restarted) |");
    expect(markdown).toContain("| otel-collector | 81 |");
  });

  it("says when only the client fell short, and when nothing did", () => {
    const slow = { by: "client" as const, counter: "telemetrygen", text: "the client reached 3000 a second of the 4000 asked" };
    const markdown = benchmarksMarkdown({
      headroom: measured({
        ladders: {
          spans: ladder("spans", [step(1000), step(4000, [slow])], 1000),
          points: { ...ladder("points", [step(1000), step(2000)], 2000), stoppedEarly: "its 240 s were spent before the step at 4000/s" },
        },
      }),
    });
    expect(markdown).toContain("at 4000/s the client, not the stack, fell short first: the client reached 3000 a second of the 4000 asked (`telemetrygen`)");
    expect(markdown).toContain("no step fell short up to 2000/s: the limit is higher");
    expect(markdown).toContain("Stopped before the plan's end: its 240 s were spent before the step at 4000/s.");
    expect(markdown).toContain("| Container | spans | metric points |");
  });

  it("treats a results file from before the ladders as not measured", () => {
    const old = { date: "2026-11-29T19:52:24.942Z", machine, result: { stepSeconds: 20, steps: [], sustainedRate: 500 } } as unknown as Measured<HeadroomResult>;
    expect(benchmarksMarkdown({ headroom: old })).toContain("_Not measured yet: `npm run bench -- --only headroom`");
  });
});
