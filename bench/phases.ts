/**
 * Where a command spends its time, read from the progress lines it prints (stamped by runCliTimed as
 * they arrive): no instrumentation inside the command, so what is measured is what ships.
 */
import type { TimedRun } from "./run-cli.ts";
import { spread, type Spread } from "./stats.ts";

export interface Phase {
  name: string;
  ms: Spread;
}

/** A phase ends at the first (or last) line matching `until`; the last phase ends when the process exits. */
export interface PhaseMarker {
  name: string;
  until: RegExp;
  /** Ends at the last matching line rather than the first. */
  last?: boolean;
}

/**
 * `up`'s progress: preflight findings, then either its no-change verdict or each container's state
 * while Compose waits, then the URL table.
 */
export const UP_PHASES: PhaseMarker[] = [
  { name: "start-up, config, generate, preflight", until: /^(ok {2}|FAIL) preflight /, last: true },
  { name: "demo image, pulls, no-change check, owned directories, until the verdict or the first container state", until: /^( {2}[\w.-]+: \S|no change since the last `up`)/ },
  { name: "Compose up -d --wait, reloads, restarts (none when nothing changed)", until: /^component\s+state\s+url$/ },
];

/** Phase durations of one run. A marker that never printed gives its phase 0 ms (the time goes to the next). */
export function phasesOf(run: TimedRun, markers: readonly PhaseMarker[]): number[] {
  let previous = 0;
  const durations = markers.map((marker) => {
    const matching = run.lines.filter((line) => marker.until.test(line.text));
    const end = (marker.last ? matching.at(-1) : matching[0])?.ms ?? previous;
    const duration = Math.max(0, end - previous);
    previous = Math.max(previous, end);
    return duration;
  });
  return [...durations, Math.max(0, run.ms - previous)];
}

/** Medians and spreads of each phase over the runs, the rest (to the exit) as the last phase. */
export function phaseBreakdown(runs: readonly TimedRun[], markers: readonly PhaseMarker[] = UP_PHASES): Phase[] {
  const perRun = runs.map((run) => phasesOf(run, markers));
  const names = [...markers.map((marker) => marker.name), "URL table, exit"];
  return names.map((name, index) => ({ name, ms: spread(perRun.map((durations) => durations[index]!)) }));
}
