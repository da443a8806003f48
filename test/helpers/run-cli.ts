/** Runs the real CLI in a directory as the npm scripts do: Node running the launcher, one process. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The npm scripts' entry: the CLI's cached bundle, rebuilt when a source changed (scripts/stack/cli-bundle.mjs). */
export const LAUNCHER = join(REPO_ROOT, "scripts", "stack", "launch.mjs");

/** `launcher` runs another checkout's launcher (a copy whose sources a test edits). */
export function runCli(cwd: string, args: string[], env: Record<string, string> = {}, launcher = LAUNCHER): CliRun {
  const run = spawnSync(process.execPath, [launcher, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    // A cold `up` on official images pulls about fifteen images and builds the demo.
    timeout: 900_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
