/** Runs the CLI once in a fresh process, as `npm run <command>` does (the launcher), and measures it from outside. */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { REPO_ROOT } from "../scripts/stack/render/templates.ts";

export interface CliSample {
  /** Wall time from spawn to exit: Node's start-up and the launcher's bundle check included. */
  ms: number;
  /** Peak resident memory of the process. */
  peakRssMb: number;
}

/** What the npm scripts run: the CLI's cached bundle (scripts/stack/cli-bundle.mjs), no TypeScript loader. */
const LAUNCHER = join(REPO_ROOT, "scripts", "stack", "launch.mjs");
const HOOK = join(REPO_ROOT, "bench", "peak-rss-hook.ts");
/**
 * The hook as a module Node loads without tsx: preloading the .ts file would need tsx registered in
 * the process measured, which the launcher's process does not have.
 */
const HOOK_URL = `data:text/javascript,${encodeURIComponent(esbuild().transformSync(readFileSync(HOOK, "utf8"), { loader: "ts", format: "esm" }).code)}`;
/** tsx's esbuild, as scripts/stack/cli-bundle.mjs uses it: obs-stack does not depend on esbuild itself. */
function esbuild(): typeof import("esbuild") {
  return createRequire(createRequire(import.meta.url).resolve("tsx/package.json"))("esbuild") as typeof import("esbuild");
}

const nodeArgs = (args: readonly string[]) => ["--import", HOOK_URL, LAUNCHER, ...args];

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
