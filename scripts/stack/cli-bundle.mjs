/**
 * The CLI's cached bundle: its TypeScript sources compiled by esbuild into one ESM module per
 * command (chunks, so `up` still loads no backup or validation code) under
 * node_modules/.cache/obs-stack, with the dependencies that can be bundled (see `external`).
 *
 * Staleness (see build-cache.mjs): the manifest records every file esbuild read (from its metafile,
 * so a new import or an upgraded dependency is covered without a list here) plus package.json,
 * tsconfig.json and this file.
 */
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cachedBuild, freshBuild, loadEsbuild } from "./build-cache.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CLI_SOURCE = join(ROOT, "scripts", "stack", "cli.ts");
const CACHE_DIR = join(ROOT, "node_modules", ".cache", "obs-stack");
/** Files that change how the sources compile or resolve without being sources themselves. */
const BUILD_INPUTS = [join(ROOT, "package.json"), join(ROOT, "tsconfig.json"), fileURLToPath(import.meta.url)];
/** What the bundled CLI imports to compile the user's config (config/import-config.ts): Node loads it from its place. */
const CONFIG_COMPILER = pathToFileURL(join(ROOT, "scripts", "stack", "config-cache.mjs")).href;

/** The bundle's entry if nothing it was built from changed since, else undefined (none, or unreadable: build one). */
export function freshBundle() {
  return freshBuild(CACHE_DIR)?.entry ?? undefined;
}

/** Builds the bundle, records what it was built from, and returns its entry. */
export async function buildBundle() {
  const esbuild = loadEsbuild();
  const { entry } = await cachedBuild(CACHE_DIR, async (outdir) => {
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
      // code belongs here too. And the config compiler, which finds its cache from its own place.
      external: ["dockerode", "tar-fs", "tar-stream", "tsx", "tsx/*", "*.node", CONFIG_COMPILER],
      // Bundled CommonJS dependencies call require() for Node's built-in modules.
      banner: { js: 'import { createRequire as createRequireForBundledPackages } from "node:module"; const require = createRequireForBundledPackages(import.meta.url);' },
      // Error classes and stack traces keep their source names.
      keepNames: true,
      // Read only with NODE_OPTIONS=--enable-source-maps (an internal error's stack in .ts lines):
      // always on, source maps cost every start ~25 ms.
      sourcemap: "linked",
      sourcesContent: false,
      // Tells config/import-config.ts where the config compiler is; only the bundle has it.
      define: { OBS_STACK_CONFIG_COMPILER: JSON.stringify(CONFIG_COMPILER) },
      metafile: true,
      logLevel: "silent",
    });
    return {
      entry: "cli.mjs",
      inputs: [...Object.keys(result.metafile.inputs).map((input) => resolve(ROOT, input)), ...BUILD_INPUTS],
      outputs: Object.keys(result.metafile.outputs).map((output) => resolve(ROOT, output)),
    };
  });
  return entry;
}
