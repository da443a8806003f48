/**
 * The k6 scripts are rendered when they are used, not by `generate`: the bundle has none, a bundle
 * written by an older version loses its scripts on the next write, `synthetics` puts them in a
 * private run directory that k6's own user can still read, and `validate` next to the bundle for as
 * long as it checks them.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBundle, renderSyntheticsScripts } from "../../../scripts/stack/bundle/bundle.ts";
import { writeRunScripts } from "../../../scripts/stack/commands/synthetics.ts";
import { writeK6Scripts } from "../../../scripts/stack/validate/rule-tests.ts";
import { writeBundle } from "../../../scripts/stack/write/bundle-writer.ts";
import { loadGoldenModel } from "../../helpers/golden-configs.ts";
import { tempProject } from "../../helpers/temp-project.ts";

const model = await loadGoldenModel("everything");
const scripts = renderSyntheticsScripts(model);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

const mode = (path: string) => statSync(path).mode & 0o777;

/** A bundle directory as `generate` leaves it. */
function generated(): string {
  const outDir = join(tempProject({}), ".stack");
  writeBundle(outDir, renderBundle(model));
  return outDir;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid!;
}

describe("k6 scripts on demand", () => {
  it("are rendered for every service with HTTP checks, and are not in the bundle", () => {
    expect([...scripts.keys()]).toEqual(["k6/checkout.ts", "k6/lib/summary.ts", "k6/lib/synthetics.ts", "k6/search.ts"]);
    expect([...renderBundle(model).keys()].filter((path) => path.startsWith("k6/"))).toEqual([]);
  });

  it("a bundle written by a version that shipped them loses them on the next write", () => {
    const outDir = join(tempProject({}), ".stack");
    writeBundle(outDir, new Map([...renderBundle(model), ...scripts]));
    expect(filesUnder(join(outDir, "k6"))).toEqual(["checkout.ts", "lib/summary.ts", "lib/synthetics.ts", "search.ts"]);
    const result = writeBundle(outDir, renderBundle(model));
    expect(result.removed.sort()).toEqual([...scripts.keys()]);
    expect(result.written).toEqual([]);
    expect(filesUnder(join(outDir, "k6"))).toEqual([]);
    expect(JSON.parse(readFileSync(join(outDir, ".obs-stack-manifest.json"), "utf8"))).toEqual([...renderBundle(model).keys()]);
  });

  it("synthetics writes them into a run directory of its own: private on the host, readable by k6's user inside", () => {
    const outDir = generated();
    const run = writeRunScripts(outDir, model);
    const runDir = join(run.dir, "..");
    expect(relative(outDir, runDir)).toMatch(new RegExp(`^\\.synthetics-${process.pid}-`));
    expect(mode(runDir)).toBe(0o700);
    expect(mode(run.dir)).toBe(0o755);
    expect(mode(join(run.dir, "lib"))).toBe(0o755);
    for (const [path, contents] of scripts) {
      const written = join(runDir, path);
      expect(readFileSync(written, "utf8"), path).toBe(contents);
      expect(mode(written), path).toBe(0o644);
    }
    run.remove();
    expect(existsSync(runDir)).toBe(false);
    expect(readdirSync(outDir).filter((entry) => entry.startsWith(".synthetics-"))).toEqual([]);
  });

  it("synthetics removes the run directories of runs that died, and only theirs", () => {
    const outDir = generated();
    const dead = join(outDir, `.synthetics-${deadPid()}-abc123`);
    const live = join(outDir, `.synthetics-${process.ppid}-def456`);
    for (const dir of [dead, live]) {
      mkdirSync(join(dir, "k6"), { recursive: true });
      writeFileSync(join(dir, "k6", "old.ts"), "// left behind\n");
    }
    const run = writeRunScripts(outDir, model);
    expect(existsSync(dead)).toBe(false);
    expect(filesUnder(live)).toEqual(["k6/old.ts"]);
    run.remove();
  });

  it("validate writes them under the bundle's k6/ while it runs, replacing leftovers, and removes them after", () => {
    const outDir = generated();
    mkdirSync(join(outDir, "k6"));
    writeFileSync(join(outDir, "k6", "gone-service.ts"), "// from a validation that died\n");
    const written = writeK6Scripts(outDir, model);
    expect(written.paths).toEqual([...scripts.keys()]);
    expect(filesUnder(join(outDir, "k6")).map((path) => `k6/${path}`)).toEqual([...scripts.keys()]);
    for (const [path, contents] of scripts) expect(readFileSync(join(outDir, path), "utf8")).toBe(contents);
    written.remove();
    expect(existsSync(join(outDir, "k6"))).toBe(false);
  });
});
