/** Runs the CLI once in a fresh process, as `npm run <command>` does, and measures it from outside. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { REPO_ROOT } from "../scripts/stack/render/templates.ts";

export interface CliSample {
  /** Wall time from spawn to exit: Node's and tsx's start-up included. */
  ms: number;
  /** Peak resident memory of the process. */
  peakRssMb: number;
}

const CLI = join(REPO_ROOT, "scripts", "stack", "cli.ts");
const HOOK = join(REPO_ROOT, "bench", "peak-rss-hook.ts");

export function runCli(args: readonly string[]): CliSample {
  const scratch = mkdtempSync(join(tmpdir(), "obs-stack-bench-rss-"));
  const rssFile = join(scratch, "max-rss-kb");
  try {
    const started = performance.now();
    // tsx as a loader in this one process (the `tsx` binary would add a second, parent process).
    const run = spawnSync(process.execPath, ["--import", "tsx", "--import", HOOK, CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, BENCH_PEAK_RSS_FILE: rssFile },
      encoding: "utf8",
    });
    const ms = performance.now() - started;
    if (run.status !== 0) throw new Error(`${args.join(" ")} exited ${run.status}: ${run.stderr}${run.stdout}`);
    return { ms, peakRssMb: Number(readFileSync(rssFile, "utf8")) / 1024 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
