/** `promtool test rules` on a rendered rule pack and its tests, laid out as `validate` writes them. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedToolPath } from "../../scripts/stack/runtime/tool-resolver.ts";

const PROMTOOL = cachedToolPath("promtool");

/** Locally the tests skip without the pinned promtool (`npm run tools`); under CI=true they must run. */
export const promtoolMissing = !existsSync(PROMTOOL) && process.env.CI !== "true";

export function promtoolTestRules(pack: string, rules: string, tests: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), `obs-stack-${pack}-rules-`));
  try {
    mkdirSync(join(dir, "tests"));
    writeFileSync(join(dir, `${pack}.yml`), rules);
    writeFileSync(join(dir, "tests", `${pack}.test.yml`), tests);
    const run = spawnSync(PROMTOOL, ["test", "rules", `${pack}.test.yml`], { cwd: join(dir, "tests"), encoding: "utf8" });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}${run.error ? String(run.error) : ""}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One rule of a rendered rule file, as the render tests read it. */
export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
