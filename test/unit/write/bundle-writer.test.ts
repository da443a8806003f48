/** A bundle write is all or nothing: a failure at any step leaves the previous bundle and its manifest as they were. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Bundle } from "../../../scripts/stack/bundle/bundle.ts";
import { StackError } from "../../../scripts/stack/errors.ts";
import { writeBundle } from "../../../scripts/stack/write/bundle-writer.ts";
import { JOURNAL_FILE } from "../../../scripts/stack/write/file-transaction.ts";
import { tempProject } from "../../helpers/temp-project.ts";
import { failingDisk, snapshot, thrownBy } from "./failing-disk.ts";

const PREVIOUS: Bundle = new Map([
  ["compose.yaml", "# v1\n"],
  ["prometheus/prometheus.yml", "# v1\n"],
  ["prometheus/rules/slo.yml", "# v1\n"],
  ["loki/loki.yml", "# v1\n"],
  ["jaeger/config.yaml", "# v1\n"],
]);

/** Three files change, one stays, one goes, one comes in a new folder. */
const NEXT: Bundle = new Map([
  ["compose.yaml", "# v2\n"],
  ["prometheus/prometheus.yml", "# v2\n"],
  ["prometheus/rules/slo.yml", "# v1\n"],
  ["loki/loki.yml", "# v2\n"],
  ["tempo/tempo.yml", "# v2\n"],
]);

function previousBundle(): string {
  const outDir = join(tempProject({}), ".stack");
  writeBundle(outDir, PREVIOUS);
  return outDir;
}

/**
 * What writing NEXT over PREVIOUS leaves, and the calls that change the disk, with paths relative to
 * the parent of the output dir; `committedAt` counts the calls up to the one that commits the write.
 */
function cleanWrite(): { after: ReturnType<typeof snapshot>; calls: string[]; committedAt: number } {
  const outDir = previousBundle();
  const disk = failingDisk(0);
  writeBundle(outDir, NEXT, disk.fs);
  const calls = disk.calls.map((call) => call.replaceAll(join(outDir, ".."), "").replaceAll(" /", " "));
  const committedAt = calls.lastIndexOf(`renameSync .stack/${JOURNAL_FILE}.new -> .stack/${JOURNAL_FILE}`) + 1;
  return { after: snapshot(outDir), calls, committedAt };
}

describe("writing a bundle, all or nothing", () => {
  const { after, calls, committedAt } = cleanWrite();

  it("the write under test stages, backs up, renames and makes a folder before it commits", () => {
    const ops = new Set(calls.slice(0, committedAt).map((call) => call.split(" ")[0]));
    expect([...ops].sort()).toEqual(["chmodSync", "linkSync", "mkdirSync", "renameSync", "writeFileSync"]);
    expect(after[".obs-stack-manifest.json"]?.contents).toBe(`${JSON.stringify([...NEXT.keys()], null, 2)}\n`);
  });

  it("a failure at any step up to the commit leaves every previous file and the manifest exactly as they were, and says so", () => {
    for (let failAt = 1; failAt <= committedAt; failAt++) {
      const outDir = previousBundle();
      const before = snapshot(outDir, true);
      const error = thrownBy(() => writeBundle(outDir, NEXT, failingDisk(failAt).fs));
      expect(error, calls[failAt - 1]).toBeInstanceOf(StackError);
      expect((error as StackError).code).toBe("WRITE_FAILED");
      expect((error as StackError).message).toContain(`Could not write into ${outDir}: EIO: i/o error (injected), ${calls[failAt - 1]!.split(" ")[0]}`);
      expect((error as StackError).message).toContain("Nothing was changed: every file there is as it was before.");
      expect((error as StackError).hint).toContain("writable");
      // Same bytes, modes, inodes and mtimes; no staged, backup or journal file left over.
      expect(snapshot(outDir, true), calls[failAt - 1]).toEqual(before);
    }
  });

  it("a write after a failed one writes the whole new bundle", () => {
    const outDir = previousBundle();
    // The third file renamed into place: compose.yaml and prometheus.yml are already new by then.
    const renamedInto = (path: string) => calls.findIndex((call) => call.startsWith("renameSync") && call.endsWith(` -> .stack/${path}`)) + 1;
    const failAt = renamedInto("loki/loki.yml");
    expect(failAt).toBeGreaterThan(renamedInto("prometheus/prometheus.yml"));
    expect(thrownBy(() => writeBundle(outDir, NEXT, failingDisk(failAt).fs))).toBeInstanceOf(StackError);
    expect(writeBundle(outDir, NEXT)).toEqual({
      written: ["compose.yaml", "prometheus/prometheus.yml", "loki/loki.yml", "tempo/tempo.yml"],
      unchanged: ["prometheus/rules/slo.yml"],
      removed: ["jaeger/config.yaml"],
    });
    expect(snapshot(outDir)).toEqual(after);
  });

  it("a failure while cleaning up after the commit leaves the new bundle, and the next write clears what is left", () => {
    expect(committedAt).toBeLessThan(calls.length);
    for (let failAt = committedAt + 1; failAt <= calls.length; failAt++) {
      const outDir = previousBundle();
      thrownBy(() => writeBundle(outDir, NEXT, failingDisk(failAt).fs));
      for (const [path, contents] of NEXT) expect(readFileSync(join(outDir, path), "utf8")).toBe(contents);
      expect(writeBundle(outDir, NEXT).written).toEqual([]);
      expect(snapshot(outDir), calls[failAt - 1]).toEqual(after);
    }
  });
});
