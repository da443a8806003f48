/** For the write tests: a disk that fails on cue, and a directory's exact state to compare. */
import * as fs from "node:fs";
import { join } from "node:path";
import type { FileOps } from "../../../scripts/stack/write/file-transaction.ts";

type Op = keyof FileOps;
const OPS: readonly Op[] = ["chmodSync", "linkSync", "mkdirSync", "renameSync", "rmSync", "rmdirSync", "writeFileSync"];

export interface FailingDisk {
  readonly fs: FileOps;
  /** Each call that changed (or was to change) the disk, in order: `renameSync a -> b`. */
  readonly calls: string[];
}

/**
 * node:fs, except that its `failAt`-th call that changes the disk throws (1-based; 0 never). With
 * `crash`, every call after that one throws too: what is on disk then is what a process killed at
 * that call leaves behind, since nothing it tried afterwards happened.
 */
export function failingDisk(failAt: number, mode: "once" | "crash" = "once"): FailingDisk {
  const calls: string[] = [];
  const wrap = <F extends (...args: never[]) => unknown>(op: Op, real: F): F =>
    ((...args: Parameters<F>) => {
      const paths = args.slice(0, op === "renameSync" || op === "linkSync" ? 2 : 1).map(String);
      calls.push(`${op} ${paths.join(" -> ")}`);
      if (calls.length === failAt || (mode === "crash" && failAt > 0 && calls.length > failAt))
        throw Object.assign(new Error(`EIO: i/o error (injected), ${calls.at(-1)}`), { code: "EIO" });
      return real(...args);
    }) as F;
  const stand = Object.fromEntries(OPS.map((op) => [op, wrap(op, fs[op] as (...args: never[]) => unknown)])) as unknown as FileOps;
  return { fs: stand, calls };
}

export interface Entry {
  mode: number;
  contents?: string;
  /** Only with `identity`: the same inode and mtime mean the very file that was there, untouched. */
  ino?: number;
  mtimeMs?: number;
}

/** Every file and folder under `dir` (hidden ones too), keyed by relative path. */
export function snapshot(dir: string, identity = false): Record<string, Entry> {
  const entries: Record<string, Entry> = {};
  for (const relative of fs.readdirSync(dir, { recursive: true }).map(String).sort()) {
    const stat = fs.statSync(join(dir, relative));
    entries[relative] = stat.isDirectory()
      ? { mode: stat.mode & 0o777 }
      : { mode: stat.mode & 0o777, contents: fs.readFileSync(join(dir, relative), "utf8"), ...(identity ? { ino: stat.ino, mtimeMs: stat.mtimeMs } : {}) };
  }
  return entries;
}

/** The error a write that must fail throws. */
export function thrownBy(write: () => unknown): unknown {
  try {
    write();
  } catch (error) {
    return error;
  }
  throw new Error("expected the write to fail");
}
