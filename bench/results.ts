/**
 * Each section's last results, one JSON file per section in bench/results/: the stack sections are
 * run one at a time (each needs the Docker engine for a while), and docs/benchmarks.md is rendered
 * from whatever the files hold, so a section run alone updates its part and keeps the others.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../scripts/stack/render/templates.ts";
import type { AlertLatencyResult } from "./alert-latency.ts";
import type { FootprintResult } from "./footprint.ts";
import type { GenerateSection } from "./generate-scaling.ts";
import type { HeadroomResult } from "./headroom.ts";
import type { SmokeResult } from "./smoke-timing.ts";
import type { UpResult } from "./up-vs-compose.ts";

export const RESULTS_DIR = join(REPO_ROOT, "bench", "results");

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** 1-minute load average before and after the section: other work on the machine skews absolute times. */
  load: { before: number; after: number };
}

export interface StackContext {
  engine: string;
  /** Components the testbed does not boot, with the reason. */
  notBooted: Record<string, string>;
}

export interface Sections {
  generate: GenerateSection;
  up: UpResult;
  footprint: FootprintResult;
  alerts: AlertLatencyResult;
  smoke: SmokeResult;
  headroom: HeadroomResult;
}
export type SectionName = keyof Sections;
export const SECTION_NAMES = ["generate", "up", "footprint", "alerts", "smoke", "headroom"] as const satisfies readonly SectionName[];

export interface Measured<T> {
  date: string;
  machine: Machine;
  /** Stack sections only. */
  stack?: StackContext;
  result: T;
}

export type AllResults = { [K in SectionName]?: Measured<Sections[K]> };

export function machineNow(loadBefore: number): Machine {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    load: { before: loadBefore, after: loadavg()[0]! },
  };
}

export function saveResult<K extends SectionName>(name: K, measured: Measured<Sections[K]>): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(measured, null, 2)}\n`);
}

export function loadResults(): AllResults {
  const results: AllResults = {};
  for (const name of SECTION_NAMES) {
    const file = join(RESULTS_DIR, `${name}.json`);
    if (existsSync(file)) Object.assign(results, { [name]: JSON.parse(readFileSync(file, "utf8")) as unknown });
  }
  return results;
}
