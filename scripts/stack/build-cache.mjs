/**
 * A build kept on disk and reused while nothing it was built from changed: the CLI's bundle
 * (cli-bundle.mjs) and each user config's compiled module (config-cache.mjs). A cache folder holds
 * builds (`build-*` folders) and manifest.json, which names the current one's entry and records
 * every file it depends on, each with its inode, size, mtime and ctime. Any write to a file changes
 * its ctime, which tools that restore mtimes (cp -p, tar, rsync) cannot set, so a build whose inputs
 * changed is never used.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** A build older than this is no longer the newest and nothing still starting can be loading its files. */
const KEEP_OLD_BUILDS_MS = 10 * 60_000;
/** File times come from a coarser clock than Date.now(): a write this close to the build's start may have been missed. */
const CLOCK_SLACK_MS = 50;

/** tsx's package.json: what a build by its esbuild depends on too (an upgrade rewrites it). */
export function tsxPackageJson() {
  return createRequire(import.meta.url).resolve("tsx/package.json");
}

/** esbuild is tsx's dependency: resolved from tsx, it is the version tsx itself runs. */
export function loadEsbuild() {
  return createRequire(tsxPackageJson())("esbuild");
}

function stampOf(file) {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}` : "missing";
}

/**
 * What the current build of `cacheDir` left if none of its inputs changed since: `{ entry }`, the
 * entry's absolute path, or null when the build recorded that there is nothing to run. Undefined
 * when there is no build or it is stale or unreadable: build one.
 */
export function freshBuild(cacheDir) {
  try {
    const manifest = JSON.parse(readFileSync(join(cacheDir, "manifest.json"), "utf8"));
    for (const [file, stamp] of Object.entries(manifest.inputs)) if (stampOf(file) !== stamp) return undefined;
    return { entry: manifest.entry === null ? null : join(cacheDir, manifest.entry) };
  } catch {
    return undefined;
  }
}

/**
 * Runs `build(outdir)` into a new build folder of `cacheDir` and makes it the current one. `build`
 * returns `{ entry, inputs, watched, outputs }`: the entry's path relative to outdir (or null),
 * every file the build read, files whose creation or change would change the build though they
 * need not exist (a package.json that would set a folder's module type), and every file it wrote
 * (one deleted or edited by hand means a rebuild, not a crash or a mix). Returns `{ entry }` as
 * freshBuild() does.
 */
export async function cachedBuild(cacheDir, build) {
  mkdirSync(cacheDir, { recursive: true });
  // An input saved during the build may or may not be in it: build again until none was.
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = Date.now();
    const name = `build-${started.toString(36)}-${process.pid}`;
    const outdir = join(cacheDir, name);
    const { entry, inputs, watched = [], outputs } = await build(outdir);
    const changedSince = (file, ifMissing) => (statSync(file, { throwIfNoEntry: false })?.ctimeMs ?? ifMissing) >= started - CLOCK_SLACK_MS;
    // An input gone since it was read changed too; a watched file may be missing all along.
    if (inputs.some((file) => changedSince(file, Infinity)) || watched.some((file) => changedSince(file, -Infinity))) {
      rmSync(outdir, { recursive: true, force: true });
      // The next build must start past the clock's slack after that write, or it cannot tell either.
      await new Promise((resolve) => setTimeout(resolve, 2 * CLOCK_SLACK_MS));
      continue;
    }
    const stamps = Object.fromEntries([...inputs, ...watched, ...outputs].map((file) => [file, stampOf(file)]));
    // Written aside and renamed: a concurrent start reads the old manifest or the new one, never half of one.
    const manifest = join(cacheDir, "manifest.json");
    const pending = `${manifest}.${process.pid}`;
    writeFileSync(pending, JSON.stringify({ entry: entry === null ? null : join(name, entry), inputs: stamps }));
    renameSync(pending, manifest);
    pruneOldBuilds(cacheDir, name);
    return { entry: entry === null ? null : join(outdir, entry) };
  }
  throw new Error("its sources kept changing while it was built");
}

function pruneOldBuilds(cacheDir, current) {
  for (const entry of readdirSync(cacheDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith("build-") || entry.name === current) continue;
    const dir = join(cacheDir, entry.name);
    if (Date.now() - statSync(dir).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(dir, { recursive: true, force: true });
  }
}
