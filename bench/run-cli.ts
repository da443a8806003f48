/** Runs the CLI once in a fresh process, as `npm run <command>` does, and measures it from outside. */
import { spawn, spawnSync } from "node:child_process";
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
// tsx as a loader in this one process (the `tsx` binary would add a second, parent process).
const nodeArgs = (args: readonly string[]) => ["--import", "tsx", "--import", HOOK, CLI, ...args];

export function runCli(args: readonly string[]): CliSample {
  const scratch = mkdtempSync(join(tmpdir(), "obs-stack-bench-rss-"));
  const rssFile = join(scratch, "max-rss-kb");
  try {
    const started = performance.now();
    const run = spawnSync(process.execPath, nodeArgs(args), {
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

export interface TimedLine {
  /** Since the spawn. */
  ms: number;
  text: string;
  stream: "stdout" | "stderr";
}

export interface TimedRun {
  ms: number;
  /** Every line it printed (stdout and stderr), stamped as it arrived: where a command spends its time. */
  lines: TimedLine[];
}

/** Runs the CLI without blocking the bench's own event loop (it may be serving a webhook meanwhile). */
export function runCliTimed(args: readonly string[], env: Record<string, string>): Promise<TimedRun> {
  const started = performance.now();
  const lines: TimedLine[] = [];
  const child = spawn(process.execPath, nodeArgs(args), { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const partial = { stdout: "", stderr: "" };
  const collect = (stream: keyof typeof partial) => (chunk: string) => {
    const parts = (partial[stream] + chunk).split("\n");
    partial[stream] = parts.pop()!;
    const ms = performance.now() - started;
    for (const text of parts) lines.push({ ms, text, stream });
  };
  child.stdout.setEncoding("utf8").on("data", collect("stdout"));
  child.stderr.setEncoding("utf8").on("data", collect("stderr"));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      const ms = performance.now() - started;
      for (const [stream, text] of Object.entries(partial) as Array<[keyof typeof partial, string]>) if (text) lines.push({ ms, text, stream });
      if (code === 0) resolve({ ms, lines });
      else reject(new Error(`${args.join(" ")} exited ${code}:\n${lines.map((line) => line.text).join("\n").slice(-3000)}`));
    });
  });
}
