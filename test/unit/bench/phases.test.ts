import { describe, expect, it } from "vitest";
import { phaseBreakdown, phasesOf, UP_PHASES } from "../../../bench/phases.ts";
import type { TimedRun } from "../../../bench/run-cli.ts";

const run = (ms: number, lines: Array<[number, string]>): TimedRun => ({ ms, lines: lines.map(([at, text]) => ({ ms: at, text, stream: "stdout" })) });

// The lines `up` prints, in its order (commands/up.ts): preflight findings, container states while Compose waits, the URL table.
const cold = run(30_000, [
  [900, "generated 0 written, 46 unchanged"],
  [1_400, "ok   preflight docker: Docker Engine 29.1.0"],
  [1_500, "ok   preflight ports: all free"],
  [2_600, "  prometheus: starting"],
  [2_600, "  jaeger: starting"],
  [20_000, "  prometheus: healthy"],
  [28_000, "component       state    url"],
  [28_000, "Prometheus      healthy  http://127.0.0.1:9090"],
  [29_000, 'stack "obs-e2e" is up in 28.1s'],
]);

describe("phasesOf", () => {
  it("splits a run at its progress lines: the last preflight finding, the first container state, the URL table, the exit", () => {
    expect(phasesOf(cold, UP_PHASES)).toEqual([1_500, 1_100, 25_400, 2_000]);
  });

  it("gives a phase whose marker never printed 0 ms, and its time to the next phase", () => {
    const noStates = run(5_000, [
      [1_000, "ok   preflight docker: fine"],
      [4_000, "component  state  url"],
    ]);
    expect(phasesOf(noStates, UP_PHASES)).toEqual([1_000, 0, 3_000, 1_000]);
  });

  it("adds up to the whole run", () => {
    expect(phasesOf(cold, UP_PHASES).reduce((sum, ms) => sum + ms, 0)).toBe(cold.ms);
  });
});

describe("phaseBreakdown", () => {
  it("gives each phase's median and spread over the runs, names in order, the rest to the exit last", () => {
    const slower = run(40_000, [
      [2_500, "ok   preflight ports: all free"],
      [3_000, "  demo: starting"],
      [38_000, "component  state  url"],
    ]);
    const phases = phaseBreakdown([cold, slower, cold]);
    expect(phases.map((phase) => phase.name)).toEqual([...UP_PHASES.map((marker) => marker.name), "URL table, exit"]);
    expect(phases[0]!.ms).toEqual({ median: 1_500, min: 1_500, max: 2_500 });
    expect(phases[2]!.ms).toEqual({ median: 25_400, min: 25_400, max: 35_000 });
  });
});
