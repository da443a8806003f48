/** A write that dies half-way is undone, or finished, by the next one; its journal is trusted only inside the directory. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StackError } from "../../../scripts/stack/errors.ts";
import { JOURNAL_FILE, recoverInterruptedWrite, writeFiles, type FileChange } from "../../../scripts/stack/write/file-transaction.ts";
import { tempProject } from "../../helpers/temp-project.ts";
import { failingDisk, snapshot, thrownBy } from "./failing-disk.ts";

const MODES = { file: 0o644, directory: 0o755 };

/** One file replaced, one left alone, one removed, one created in a new folder. */
const CHANGES: FileChange[] = [
  { path: "a.yml", contents: "a2" },
  { path: "old.yml", contents: null },
  { path: "new/c.yml", contents: "c2" },
];

function previousFiles(): string {
  const dir = join(tempProject({}), "out");
  writeFiles(dir, [{ path: "a.yml", contents: "a1" }, { path: "sub/b.yml", contents: "b1" }, { path: "old.yml", contents: "o1" }], MODES);
  return dir;
}

describe("a write that dies half-way", () => {
  const reference = previousFiles();
  const disk = failingDisk(0);
  writeFiles(reference, CHANGES, MODES, disk.fs);
  const after = snapshot(reference);
  const committedAt = disk.calls.lastIndexOf(`renameSync ${join(reference, `${JOURNAL_FILE}.new`)} -> ${join(reference, JOURNAL_FILE)}`) + 1;

  it("is rolled back when killed before its commit, and finished after it: never left half-done", () => {
    expect(committedAt).toBeGreaterThan(0);
    for (let killedAt = 1; killedAt <= disk.calls.length; killedAt++) {
      const dir = previousFiles();
      const before = snapshot(dir, true);
      thrownBy(() => writeFiles(dir, CHANGES, MODES, failingDisk(killedAt, "crash").fs));
      recoverInterruptedWrite(dir);
      if (killedAt <= committedAt) expect(snapshot(dir, true), disk.calls[killedAt - 1]).toEqual(before);
      else expect(snapshot(dir), disk.calls[killedAt - 1]).toEqual(after);
    }
  });

  it("when putting the previous files back fails too, the error says so and names the journal; the next write puts them back first", () => {
    const dir = previousFiles();
    const before = snapshot(dir, true);
    // Dies right after a.yml, the first file, is renamed into place.
    const afterRenameOfA = disk.calls.findIndex((call) => call.endsWith(` -> ${join(reference, "a.yml")}`)) + 2;
    const error = thrownBy(() => writeFiles(dir, CHANGES, MODES, failingDisk(afterRenameOfA, "crash").fs));
    expect(error).toBeInstanceOf(StackError);
    expect((error as StackError).code).toBe("WRITE_FAILED");
    expect((error as StackError).message).toMatch(/^Could not write into .*: EIO: .*; putting the previous files back failed too: EIO: /);
    expect((error as StackError).hint).toContain(`it first puts the previous files back, as listed in ${join(dir, JOURNAL_FILE)}`);
    expect(readFileSync(join(dir, "a.yml"), "utf8")).toBe("a2");

    writeFiles(dir, [], MODES);
    expect(snapshot(dir, true)).toEqual(before);
  });
});

describe("the journal", () => {
  it("one that cannot be read stops the write, with a hint, and nothing is touched", () => {
    const dir = previousFiles();
    writeFileSync(join(dir, JOURNAL_FILE), "{ not json");
    const before = snapshot(dir, true);
    const error = thrownBy(() => writeFiles(dir, CHANGES, MODES));
    expect((error as StackError).code).toBe("WRITE_FAILED");
    expect((error as StackError).message).toContain(`${join(dir, JOURNAL_FILE)} records a write that did not finish, but obs-stack cannot read it`);
    expect((error as StackError).hint).toContain(`delete ${join(dir, JOURNAL_FILE)}`);
    expect(snapshot(dir, true)).toEqual(before);
  });

  it("one that names a path outside the directory is refused, and the file there is kept", () => {
    const project = tempProject({ "precious.txt": "keep" });
    const dir = join(project, "out");
    mkdirSync(dir);
    // Read naively, this step says: a new file whose staged copy was already renamed in, so remove it.
    const step = { path: "../precious.txt", staged: "../precious.txt.new", backup: null };
    writeFileSync(join(dir, JOURNAL_FILE), JSON.stringify({ pid: process.pid, committed: false, createdDirs: [], steps: [step] }));
    expect(thrownBy(() => recoverInterruptedWrite(dir))).toBeInstanceOf(StackError);
    expect(readFileSync(join(project, "precious.txt"), "utf8")).toBe("keep");
  });

  it("one written by a process that still runs means a write under way: it is left alone and this write refused", () => {
    const dir = previousFiles();
    // Undone, this would put a.yml.backup back over a.yml: the other process's write, half-way.
    const journal = { pid: process.ppid, committed: false, createdDirs: [], steps: [{ path: "a.yml", staged: "a.yml.staged", backup: "a.yml.backup" }] };
    writeFileSync(join(dir, "a.yml.backup"), "a0");
    writeFileSync(join(dir, JOURNAL_FILE), JSON.stringify(journal));
    const before = snapshot(dir, true);
    const error = thrownBy(() => writeFiles(dir, CHANGES, MODES));
    expect((error as StackError).code).toBe("WRITE_FAILED");
    expect((error as StackError).message).toBe(`another process (pid ${process.ppid}) is writing into ${dir} right now`);
    expect(snapshot(dir, true)).toEqual(before);
  });
});
