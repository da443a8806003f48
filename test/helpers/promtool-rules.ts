/** `promtool test rules` on a rendered rule pack and its tests, laid out as `validate` writes them. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedToolPath } from "../../scripts/stack/runtime/tool-resolver.ts";

export const PROMTOOL = cachedToolPath("promtool");

/**
 * For a test that runs the pinned promtool: locally it skips, saying why and how to build it, when
 * `npm run tools` has not run; under CI=true a missing promtool fails the test instead.
 */
export function requirePromtool(skip: (note: string) => void): void {
  if (existsSync(PROMTOOL)) return;
  if (process.env.CI === "true") throw new Error(`CI=true requires promtool at ${PROMTOOL} (run \`npm run tools\`)`);
  skip(`promtool is not built at ${PROMTOOL} (run \`npm run tools\`)`);
}

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
