/** Runs go-build.sh for one tool at one version; returns the cache directory holding its binaries. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./stack/render/templates.ts";

export function goBuild(tool: string, version: string): string {
  const run = spawnSync("bash", [join(REPO_ROOT, "scripts", "go-build.sh"), tool, version], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`go-build.sh ${tool} ${version} failed with exit ${run.status}`);
  // go-build.sh prints the cache directory on its last line.
  return run.stdout.trim().split("\n").pop()!.trim();
}
