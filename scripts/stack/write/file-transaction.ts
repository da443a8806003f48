/**
 * Changes a set of files in one directory all or nothing: DESIGN's "write (all or nothing) ─▶ .stack/".
 *
 * File by file, not by swapping in a whole new directory, because of the bind mounts: compose.yaml
 * mounts the bundle's subdirectories (`./prometheus:/etc/prometheus:ro`), and a bind mount holds the
 * directory it was given when the container was created, not its path. After a directory swap the
 * running containers keep the old directory, so `up`'s in-place reload (SIGHUP) would re-read the
 * OLD files and still report success; a file renamed into a mounted directory is seen at once.
 * (Checked with `mount --bind` in a private mount namespace, which is what Docker does: after
 * `mv stack stack.old && mv stack.new stack` the mount still showed the old file; after a file was
 * renamed over `stack/prometheus/prometheus.yml` it showed the new one.)
 *
 * So every new file is first staged next to its target, then renamed over it: rename(2) replaces a
 * file atomically, a reader sees the old bytes or the new ones. Before that, the previous file gets
 * a second name (a hard link: no copy, and the target never goes missing), so a failure at any step
 * can put every previous file back. The staged and backup names end in `.obs-stack-new-…` and
 * `.obs-stack-old-…`, which no component's glob (`rules/*.yml`, `*.json`, `templates/*.tmpl`) loads.
 *
 * A journal listing every step is saved before the first one and marked committed after the last.
 * Undoing reads only the journal and what is on disk, so the same undo also serves after the process
 * died half-way (Ctrl-C, a kill): the next write into the directory first rolls an uncommitted
 * journal back, or finishes cleaning up after a committed one — unless the process that wrote the
 * journal still runs, which means two writes at once: that one is left alone and this one refused.
 */
import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { z } from "zod";
import { StackError } from "../errors.ts";

export interface FileChange {
  /** Relative to the directory. */
  readonly path: string;
  /** The new contents, or null to remove the file. */
  readonly contents: string | null;
}

export interface Modes {
  readonly file: number;
  readonly directory: number;
}

/** The operations that change the disk: node:fs, or in tests a stand-in that fails on cue. */
export type FileOps = Pick<typeof nodeFs, "chmodSync" | "linkSync" | "mkdirSync" | "renameSync" | "rmSync" | "rmdirSync" | "writeFileSync">;

export const JOURNAL_FILE = ".obs-stack-write-journal.json";
/** The journal itself is saved by writing this name, then renaming it over JOURNAL_FILE. */
const JOURNAL_DRAFT = `${JOURNAL_FILE}.new`;

/** One file's change; every path is relative to the directory. */
const stepSchema = z.object({
  path: z.string(),
  /** The new contents' name until they are renamed over `path`; null when the file is removed. */
  staged: z.string().nullable(),
  /** The previous file's second name while the write is under way; null when there was none. */
  backup: z.string().nullable(),
});
type Step = z.infer<typeof stepSchema>;

const journalSchema = z.object({
  /** The process that writes. */
  pid: z.number(),
  committed: z.boolean(),
  /** Directories the write created ("" is the directory itself), parents first. */
  createdDirs: z.array(z.string()),
  steps: z.array(stepSchema),
});
type Journal = z.infer<typeof journalSchema>;

/** Paths from a journal or manifest on disk are only trusted when they stay inside the directory. */
export function insideDirectory(dir: string, relativePath: string): boolean {
  return resolve(dir, relativePath).startsWith(`${resolve(dir)}${sep}`);
}

export function writeFiles(dir: string, changes: readonly FileChange[], modes: Modes, fs: FileOps = nodeFs): void {
  // A journal left by a write that died would be overwritten below, and with it the way back.
  recoverInterruptedWrite(dir, fs);
  if (changes.length === 0) return;
  const token = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const subdirs = [...new Set(changes.flatMap(({ path, contents }) => (contents === null ? [] : ancestors(dirname(path)))))];
  const journal: Journal = {
    pid: process.pid,
    committed: false,
    createdDirs: ["", ...subdirs].filter((relative) => !existsSync(join(dir, relative))),
    steps: changes.map(({ path, contents }) => ({
      path,
      staged: contents === null ? null : `${path}.obs-stack-new-${token}`,
      backup: contents === null || existsSync(join(dir, path)) ? `${path}.obs-stack-old-${token}` : null,
    })),
  };
  try {
    makeDir(dir, modes, fs);
    saveJournal(dir, journal, fs);
    for (const relative of subdirs) makeDir(join(dir, relative), modes, fs);
    for (const [index, { contents }] of changes.entries()) {
      const staged = journal.steps[index]!.staged;
      if (staged === null || contents === null) continue;
      fs.writeFileSync(join(dir, staged), contents, { mode: modes.file });
      // The mode given to writeFileSync is cut by the umask; the one set here is not.
      fs.chmodSync(join(dir, staged), modes.file);
    }
    for (const step of journal.steps) commitStep(dir, step, fs);
    saveJournal(dir, { ...journal, committed: true }, fs);
  } catch (error) {
    throw rolledBack(dir, journal, error, fs);
  }
  cleanUp(dir, journal, fs);
}

/** Finishes what a write that died left behind: back to before it when uncommitted, else forward. */
export function recoverInterruptedWrite(dir: string, fs: FileOps = nodeFs): void {
  if (existsSync(join(dir, JOURNAL_DRAFT))) fs.rmSync(join(dir, JOURNAL_DRAFT));
  if (!existsSync(join(dir, JOURNAL_FILE))) return;
  const journal = readJournal(dir);
  if (journal.pid !== process.pid && isRunning(journal.pid))
    throw new StackError(
      "WRITE_FAILED",
      `another process (pid ${journal.pid}) is writing into ${dir} right now`,
      `Let it finish (another \`npm run\` in this project?), then run the command again. If pid ${journal.pid} is not obs-stack, delete ${join(dir, JOURNAL_FILE)}.`,
    );
  if (journal.committed) cleanUp(dir, journal, fs);
  else rollBack(dir, journal, fs);
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function commitStep(dir: string, step: Step, fs: FileOps): void {
  const target = join(dir, step.path);
  if (step.backup !== null) {
    if (step.staged === null) fs.renameSync(target, join(dir, step.backup));
    else fs.linkSync(target, join(dir, step.backup));
  }
  if (step.staged !== null) fs.renameSync(join(dir, step.staged), target);
}

/** Works from whatever point the write reached: each step is judged by what is on disk. */
function rollBack(dir: string, journal: Journal, fs: FileOps): void {
  for (const step of journal.steps) {
    const target = join(dir, step.path);
    if (step.backup !== null && existsSync(join(dir, step.backup))) {
      fs.renameSync(join(dir, step.backup), target);
      // If the new file was not renamed in yet, backup and target are one file and rename(2) does nothing.
      fs.rmSync(join(dir, step.backup), { force: true });
    } else if (step.backup === null && step.staged !== null && !existsSync(join(dir, step.staged))) {
      // A new file (nothing to back up) whose staged copy is gone was renamed into place.
      fs.rmSync(target, { force: true });
    }
    if (step.staged !== null) fs.rmSync(join(dir, step.staged), { force: true });
  }
  forgetJournal(dir, fs);
  for (const created of [...journal.createdDirs].reverse()) {
    if (existsSync(join(dir, created))) fs.rmdirSync(join(dir, created));
  }
}

function cleanUp(dir: string, journal: Journal, fs: FileOps): void {
  for (const { backup } of journal.steps) if (backup !== null) fs.rmSync(join(dir, backup), { force: true });
  forgetJournal(dir, fs);
}

function rolledBack(dir: string, journal: Journal, error: unknown, fs: FileOps): StackError {
  const cause = (error as Error).message;
  try {
    rollBack(dir, journal, fs);
  } catch (undoError) {
    return new StackError(
      "WRITE_FAILED",
      `Could not write into ${dir}: ${cause}; putting the previous files back failed too: ${(undoError as Error).message}`,
      `Fix the cause and run the command again: it first puts the previous files back, as listed in ${join(dir, JOURNAL_FILE)}.`,
    );
  }
  return new StackError(
    "WRITE_FAILED",
    `Could not write into ${dir}: ${cause}. Nothing was changed: every file there is as it was before.`,
    `Check that ${dir} and the folders in it are writable and that the disk is not full, then run the command again.`,
  );
}

/** `a/b` → `a`, `a/b`; `.` → nothing. */
function ancestors(relativeDir: string): string[] {
  const parts = relativeDir.split("/").filter((part) => part !== "" && part !== ".");
  return parts.map((_, index) => parts.slice(0, index + 1).join("/"));
}

function makeDir(path: string, modes: Modes, fs: FileOps): void {
  // Recursive for the directory itself (`--out build/stack`); the parents it adds are not the bundle's.
  if (!existsSync(path)) fs.mkdirSync(path, { recursive: true });
  // Also when it exists: a directory made under a strict umask would hide the files from the containers.
  fs.chmodSync(path, modes.directory);
}

function saveJournal(dir: string, journal: Journal, fs: FileOps): void {
  fs.writeFileSync(join(dir, JOURNAL_DRAFT), `${JSON.stringify(journal, null, 2)}\n`);
  fs.renameSync(join(dir, JOURNAL_DRAFT), join(dir, JOURNAL_FILE));
}

function forgetJournal(dir: string, fs: FileOps): void {
  fs.rmSync(join(dir, JOURNAL_FILE), { force: true });
  fs.rmSync(join(dir, JOURNAL_DRAFT), { force: true });
}

function readJournal(dir: string): Journal {
  const path = join(dir, JOURNAL_FILE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    parsed = undefined;
  }
  const journal = journalSchema.safeParse(parsed);
  const paths = journal.success
    ? [...journal.data.createdDirs.filter((created) => created !== ""), ...journal.data.steps.flatMap((step) => [step.path, step.staged, step.backup])]
    : [];
  if (!journal.success || !paths.every((relative) => relative === null || insideDirectory(dir, relative)))
    throw new StackError(
      "WRITE_FAILED",
      `${path} records a write that did not finish, but obs-stack cannot read it, so it cannot put the previous files back`,
      `Check the files in ${dir} (regenerating them is safe), then delete ${path} and run the command again.`,
    );
  return journal.data;
}
