/**
 * Files rendered when a command needs them, not by `generate`: on disk in a directory of their own
 * for as long as that command runs. Everything in the directory is removed first (a run that died
 * leaves its files behind, and files of things that are gone since must not be used) and again by
 * `remove`.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Bundle } from "../bundle/bundle.ts";

/** Containers read the files as nobody or their own user, whatever the user's umask is (as the bundle's own files). */
const READABLE = { file: 0o644, directory: 0o755 };

export interface ScratchFiles {
  /** Paths relative to the base directory, as `files` named them. */
  paths: string[];
  remove: () => void;
}

/** Writes `files` (paths relative to baseDir, every one inside `dir`, itself relative to baseDir). */
export function writeScratchFiles(baseDir: string, dir: string, files: Bundle): ScratchFiles {
  const root = join(baseDir, dir);
  const remove = () => rmSync(root, { recursive: true, force: true });
  remove();
  for (const [path, contents] of files) {
    if (!path.startsWith(`${dir}/`)) throw new Error(`${path} is not inside ${dir}/`);
    for (let parent = dirname(path); ; parent = dirname(parent)) {
      mkdirSync(join(baseDir, parent), { recursive: true });
      chmodSync(join(baseDir, parent), READABLE.directory);
      if (parent === dir) break;
    }
    writeFileSync(join(baseDir, path), contents);
    chmodSync(join(baseDir, path), READABLE.file);
  }
  return { paths: [...files.keys()], remove };
}
