/**
 * The project's GitHub Actions workflows and the example users copy, checked by actionlint (MIT;
 * `npm run tools` builds it from its Go module with scripts/go-build.sh): expression types,
 * runner labels, action inputs, job dependencies, and the `run:` scripts through shellcheck when it
 * is on PATH (it is on GitHub's Ubuntu runners). A missing actionlint skips locally and fails under
 * CI=true, like the validators.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { ACTIONLINT_VERSION } from "../../../scripts/stack/catalog/tools.ts";
import { cachedToolPath } from "../../../scripts/stack/runtime/tool-resolver.ts";

const ACTIONLINT = cachedToolPath("actionlint");
const IN_CI = process.env.CI === "true";

const WORKFLOWS_DIR = join(REPO_ROOT, ".github", "workflows");
const WORKFLOWS = [
  ...readdirSync(WORKFLOWS_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => join(".github", "workflows", file)),
  join("examples", "ci", "github-actions.yml"),
];

function requireActionlint(skip: (note: string) => void): void {
  if (existsSync(ACTIONLINT)) return;
  const reason = `actionlint ${ACTIONLINT_VERSION} is not built at ${ACTIONLINT} (run \`npm run tools\`)`;
  if (IN_CI) throw new Error(`CI=true requires actionlint: ${reason}`);
  skip(reason);
}

const actionlint = (file: string, cwd = REPO_ROOT) => spawnSync(ACTIONLINT, ["-no-color", file], { cwd, encoding: "utf8" });

describe("actionlint", () => {
  it.for(WORKFLOWS)("%s has no findings", (file, { skip }) => {
    requireActionlint(skip);
    const run = actionlint(file);
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("rejects a workflow with an undefined matrix property and an unknown runner label", ({ skip }) => {
    requireActionlint(skip);
    const dir = mkdtempSync(join(tmpdir(), "obs-stack-actionlint-"));
    try {
      writeFileSync(
        join(dir, "broken.yml"),
        ["on: push", "jobs:", "  test:", "    runs-on: ubuntu-lates", "    steps:", "      - run: echo ${{ matrix.x }}", ""].join("\n"),
      );
      const run = actionlint("broken.yml", dir);
      expect(run.stdout).toContain('label "ubuntu-lates" is unknown');
      expect(run.stdout).toContain('property "x" is not defined in object type {}');
      expect(run.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
