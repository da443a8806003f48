/**
 * The CLI's cached bundle: its TypeScript sources compiled by esbuild into one ESM module per
 * command (chunks, so `up` still loads no backup or validation code) under
 * node_modules/.cache/obs-stack, with the dependencies that can be bundled (see `external`).
 *
 * Staleness: the manifest records every file esbuild read (from its metafile, so a new import or an
 * upgraded dependency is covered without a list here) plus package.json, tsconfig.json and this
 * file, each with its inode, size, mtime and ctime. Any write to a file changes its ctime, which
 * tools that restore mtimes (cp -p, tar, rsync) cannot set, so a bundle whose sources changed is
 * never run.
 */
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CLI_SOURCE = join(ROOT, "scripts", "stack", "cli.ts");
const CACHE_DIR = join(ROOT, "node_modules", ".cache", "obs-stack");
const MANIFEST = join(CACHE_DIR, "manifest.json");
/** Files that change how the sources compile or resolve without being sources themselves. */
const BUILD_INPUTS = [join(ROOT, "package.json"), join(ROOT, "tsconfig.json"), fileURLToPath(import.meta.url)];
/** A build older than this is no longer the newest and nothing still starting can be loading its chunks. */
const KEEP_OLD_BUILDS_MS = 10 * 60_000;
/** File times come from a coarser clock than Date.now(): a write this close to the build's start may have been missed. */
const CLOCK_SLACK_MS = 50;

function stampOf(file) {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}` : "missing";
}

/** The bundle's entry if nothing it was built from changed since, else undefined (none, or unreadable: build one). */
export function freshBundle() {
  try {
    const manifest = JSON.parse(readFileSync(MANIFEST, "utf8"));
    for (const [file, stamp] of Object.entries(manifest.inputs)) if (stampOf(file) !== stamp) return undefined;
    return join(CACHE_DIR, manifest.entry);
  } catch {
    return undefined;
  }
}

/** Builds the bundle, records what it was built from, and returns its entry. */
export async function buildBundle() {
  // esbuild is tsx's dependency: resolved from tsx, it is the version tsx itself runs.
  const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"))("esbuild");
  // A source saved during the build may or may not be in it: build again until none was.
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = Date.now();
    const build = `build-${started.toString(36)}-${process.pid}`;
    const outdir = join(CACHE_DIR, build);
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { cli: CLI_SOURCE },
      outdir,
      outExtension: { ".js": ".mjs" },
      chunkNames: "chunks/[name]-[hash]",
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      // Dependencies are bundled too: loading zod, yaml, handlebars and the Grafana SDK from one
      // file each saves ~90 ms a command. Left to Node: packages that read files next to their own
      // code (__dirname: ssh2 under dockerode) or load native addons, and tsx, which must stay the
      // one instance its loader thread is. A dependency added later that reads files next to its
      // code belongs here too.
      external: ["dockerode", "tar-fs", "tar-stream", "tsx", "tsx/*", "*.node"],
      // Bundled CommonJS dependencies call require() for Node's built-in modules.
      banner: { js: 'import { createRequire as createRequireForBundledPackages } from "node:module"; const require = createRequireForBundledPackages(import.meta.url);' },
      // Error classes and stack traces keep their source names.
      keepNames: true,
      // Read only with NODE_OPTIONS=--enable-source-maps (an internal error's stack in .ts lines):
      // always on, source maps cost every start ~25 ms.
      sourcemap: "linked",
      sourcesContent: false,
      // Tells config/import-config.ts to register tsx for the user's config.
      define: { OBS_STACK_BUNDLED: "true" },
      metafile: true,
      logLevel: "silent",
    });
    const files = [...Object.keys(result.metafile.inputs).map((input) => resolve(ROOT, input)), ...BUILD_INPUTS];
    // The bundle's own files too: one deleted or edited by hand means a rebuild, not a crash or a mix.
    const outputs = Object.keys(result.metafile.outputs).map((output) => resolve(ROOT, output));
    const inputs = Object.fromEntries([...files, ...outputs].map((file) => [file, stampOf(file)]));
    if (files.some((file) => (statSync(file, { throwIfNoEntry: false })?.ctimeMs ?? Infinity) >= started - CLOCK_SLACK_MS)) {
      rmSync(outdir, { recursive: true, force: true });
      continue;
    }
    // Written aside and renamed: a concurrent start reads the old manifest or the new one, never half of one.
    const pending = `${MANIFEST}.${process.pid}`;
    writeFileSync(pending, JSON.stringify({ entry: join(build, "cli.mjs"), inputs }));
    renameSync(pending, MANIFEST);
    pruneOldBuilds(build);
    return join(outdir, "cli.mjs");
  }
  throw new Error("its sources kept changing while it was built");
}

function pruneOldBuilds(current) {
  for (const entry of readdirSync(CACHE_DIR, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith("build-") || entry.name === current) continue;
    const dir = join(CACHE_DIR, entry.name);
    if (Date.now() - statSync(dir).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(dir, { recursive: true, force: true });
  }
}
