/**
 * `up` against `docker compose up -d --wait` on the same generated bundle, with the same Compose
 * binary, env file and secrets: cold (no containers; images and volumes present) and with no change
 * (everything already running), interleaved round by round and alternating which goes first, so a
 * drift in the machine's load falls on both alike.
 */
import { phaseBreakdown, type Phase } from "./phases.ts";
import type { TimedLine, TimedRun } from "./run-cli.ts";
import type { StackSession } from "./stack-session.ts";
import { spread, type Spread } from "./stats.ts";

export interface UpResult {
  runs: number;
  composeTool: string;
  /** The first `up` after the volumes were deleted (it also creates them): one sample, context only. */
  firstUpMs: number;
  up: { coldMs: Spread; noChangeMs: Spread };
  compose: { coldMs: Spread; noChangeMs: Spread };
  /** `generate` alone with no change: start-up, config load and the bundle compared, no engine. */
  generateNoChangeMs: Spread;
  /** Where `up` spends its time, medians over the runs, from its own progress lines. */
  breakdown: { cold: Phase[]; noChange: Phase[] };
  /** The lines of the last cold and no-change `up`, stamped: the raw material of the breakdown. */
  sample: { cold: TimedLine[]; noChange: TimedLine[] };
}

export async function measureUp(session: StackSession, runs: number, log: (line: string) => void): Promise<UpResult> {
  const first = await session.cli("up");
  log(`first up (new volumes): ${(first.ms / 1000).toFixed(1)} s`);
  const samples = { upCold: [] as number[], upNoChange: [] as number[], composeCold: [] as number[], composeNoChange: [] as number[], generate: [] as number[] };
  const lines = { cold: [] as TimedRun[], noChange: [] as TimedRun[] };
  const upWith = ["up", "-d", "--wait"];
  const contenders = {
    up: async () => {
      const cold = await session.cli("up");
      const again = await session.cli("up");
      samples.upCold.push(cold.ms);
      samples.upNoChange.push(again.ms);
      lines.cold.push(cold);
      lines.noChange.push(again);
      log(`  up: cold ${(cold.ms / 1000).toFixed(1)} s, no change ${(again.ms / 1000).toFixed(1)} s`);
    },
    compose: async () => {
      const cold = await session.compose(upWith);
      const again = await session.compose(upWith);
      samples.composeCold.push(cold.ms);
      samples.composeNoChange.push(again.ms);
      log(`  compose up -d --wait: cold ${(cold.ms / 1000).toFixed(1)} s, no change ${(again.ms / 1000).toFixed(1)} s`);
    },
  };
  for (let round = 0; round < runs; round++) {
    log(`round ${round + 1}/${runs}`);
    const order = round % 2 === 0 ? (["up", "compose"] as const) : (["compose", "up"] as const);
    for (const name of order) {
      // Containers removed, volumes kept: a new volume needs the directories `up` prepares before Compose can start on it.
      await session.cli("down");
      await contenders[name]();
    }
    samples.generate.push((await session.cli("generate")).ms);
  }
  return {
    runs,
    composeTool: session.composeTool,
    firstUpMs: first.ms,
    up: { coldMs: spread(samples.upCold), noChangeMs: spread(samples.upNoChange) },
    compose: { coldMs: spread(samples.composeCold), noChangeMs: spread(samples.composeNoChange) },
    generateNoChangeMs: spread(samples.generate),
    breakdown: { cold: phaseBreakdown(lines.cold), noChange: phaseBreakdown(lines.noChange) },
    sample: { cold: lines.cold.at(-1)!.lines, noChange: lines.noChange.at(-1)!.lines },
  };
}
