/** Runs the real CLI in a directory as the npm scripts do: Node with tsx as its loader, one process. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(cwd: string, args: string[], env: Record<string, string> = {}): CliRun {
  // The loader by absolute URL: `--import tsx` would resolve from cwd, a temp directory here.
  const run = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(REPO_ROOT, "scripts", "stack", "cli.ts"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    // A cold `up` on official images pulls about fifteen images and builds the demo.
    timeout: 900_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
