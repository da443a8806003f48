/** `smoke` against the running stack, several times: how long a CI job's health gate takes. */
import type { StackSession } from "./stack-session.ts";
import { spread, type Spread } from "./stats.ts";

export interface SmokeResult {
  runs: number;
  ms: Spread;
  /** Checks that passed / were skipped (not booted here) in the last run, by name. */
  passed: string[];
  skipped: string[];
}

export async function measureSmoke(session: StackSession, runs: number, log: (line: string) => void): Promise<SmokeResult> {
  await session.cli("up");
  const times: number[] = [];
  let checks: Array<{ name: string; status: string }> = [];
  for (let run = 1; run <= runs; run++) {
    const result = await session.cli("smoke", "--json");
    times.push(result.ms);
    const json = result.lines.filter((line) => line.stream === "stdout").map((line) => line.text).join("\n");
    checks = (JSON.parse(json) as { checks: Array<{ name: string; status: string }> }).checks;
    log(`  smoke ${run}/${runs}: ${(result.ms / 1000).toFixed(1)} s`);
  }
  return {
    runs,
    ms: spread(times),
    passed: checks.filter((check) => check.status === "pass").map((check) => check.name),
    skipped: checks.filter((check) => check.status === "skipped").map((check) => check.name),
  };
}
