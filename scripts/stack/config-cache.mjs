/**
 * The user's config compiled once into one ES module, for the bundled CLI: importing that costs a
 * few milliseconds where registering tsx and compiling the config and everything it imports cost
 * 0.3-0.5 s at every command. Loaded by Node from its place (config/import-config.ts imports it by
 * the URL the CLI bundle was built with), not bundled into the CLI.
 *
 * The module is esbuild's bundle of the config and the files it imports, except JavaScript packages
 * in node_modules, which stay imports that Node resolves and loads as it would from the config.
 * Each compiled file keeps its own `import.meta.url`, `.dirname` and `.filename`. Compiling is only
 * a shortcut: import-config.ts imports the config through tsx instead when this returns nothing
 * (esbuild missing, a file that does not compile, a config using what one bundle cannot reproduce),
 * and whenever running the compiled module fails, so every error is the one tsx gives.
 *
 * Kept under node_modules/.cache/obs-stack/configs/<hash of the config's path>/ and reused while
 * none of the files it was built from changed (build-cache.mjs), nor any package.json, tsconfig.json
 * or jsconfig.json beside them or above, which decide how they resolve and compile.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cachedBuild, freshBuild, loadEsbuild, tsxPackageJson } from "./build-cache.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CONFIG_CACHE_ROOT = join(ROOT, "node_modules", ".cache", "obs-stack", "configs");
/** Files that change how configs compile without being read by the build. */
const BUILD_INPUTS = [fileURLToPath(import.meta.url), fileURLToPath(new URL("./build-cache.mjs", import.meta.url))];
/** Beside each compiled file and in every folder above it: what decides its module type, its resolution and its compilation. */
const SETTINGS_FILES = ["package.json", "tsconfig.json", "jsconfig.json"];
const ENTRY = "config.mjs";
/** In each config's cache folder: the config's path, which the folder's name is a hash of. */
const CONFIG_PATH_FILE = "config-path";
/** Each file's own import.meta values, declared in that file under these names (see fileMetaPlugin). */
const META = { url: "__obsStackImportMetaUrl", dirname: "__obsStackImportMetaDirname", filename: "__obsStackImportMetaFilename" };
const LOADERS = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx" };

/**
 * The compiled module of `configFile`, built if there is none or it is stale; undefined when the
 * config must be imported through tsx instead.
 */
export async function compiledConfig(configFile, cacheRoot = CONFIG_CACHE_ROOT) {
  const cacheDir = join(cacheRoot, createHash("sha256").update(configFile).digest("hex").slice(0, 16));
  const fresh = freshBuild(cacheDir);
  if (fresh) return fresh.entry ?? undefined;
  let built;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, CONFIG_PATH_FILE), configFile);
    const esbuild = loadEsbuild();
    built = await cachedBuild(cacheDir, (outdir) => compile(esbuild, configFile, outdir));
  } catch {
    // No cache folder, no esbuild, or the config does not compile: tsx says why, as it always did.
    return undefined;
  }
  pruneConfigsGone(cacheRoot);
  return built.entry ?? undefined;
}

async function compile(esbuild, configFile, outdir) {
  const externals = new Set();
  const workingDir = dirname(configFile);
  const result = await esbuild.build({
    absWorkingDir: workingDir,
    entryPoints: [configFile],
    outfile: join(outdir, ENTRY),
    bundle: true,
    format: "esm",
    platform: "node",
    target: `node${process.versions.node}`,
    // Resolved as Node resolves them: without esbuild's extra "module" condition and field.
    conditions: [],
    mainFields: ["main"],
    // Functions and classes keep their names, as under tsx.
    keepNames: true,
    define: Object.fromEntries(Object.entries(META).map(([key, name]) => [`import.meta.${key}`, name])),
    plugins: [nodeModulesToNode(externals), fileMetaPlugin()],
    metafile: true,
    logLevel: "silent",
  });
  const inputs = [...Object.keys(result.metafile.inputs).map((input) => resolve(workingDir, input)), ...externals];
  const outputs = Object.keys(result.metafile.outputs).map((output) => resolve(workingDir, output));
  // Without comments, which esbuild keeps some of and which may mention what is looked for below.
  const { code } = await esbuild.transform(readFileSync(join(outdir, ENTRY), "utf8"), { minifyWhitespace: true, legalComments: "none" });
  return {
    // Left in the bundle, these would resolve from the bundle's place, not the file's, and might
    // find something else there: an `import.meta` other than the three above, an import() of a
    // computed name. (A require() esbuild could not bundle throws in an ES module: tsx runs it.)
    entry: /\bimport\.meta\b|\bimport\((?!")/.test(code) ? null : ENTRY,
    inputs: [...inputs, ...BUILD_INPUTS, tsxPackageJson()],
    watched: settingsFilesAbove(inputs),
    outputs,
  };
}

/**
 * Bare imports of JavaScript packages in node_modules are left to Node, by the absolute URL of the
 * file esbuild resolved from the importer: a package may read files beside its code or load an
 * addon, and Node loads it from the config's place as it would under tsx. A package shipped as
 * TypeScript (obs-stack itself) is compiled like the config.
 */
function nodeModulesToNode(externals) {
  const resolving = Symbol("resolving");
  return {
    name: "node-modules-to-node",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === resolving || isBuiltin(args.path)) return undefined;
        const found = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: resolving });
        if (found.errors.length > 0) return { errors: found.errors };
        if (!/\.[cm]?js$/.test(found.path) || !found.path.includes(`${sep}node_modules${sep}`)) return { path: found.path, namespace: found.namespace, external: found.external, sideEffects: found.sideEffects };
        externals.add(found.path);
        return { path: pathToFileURL(found.path).href, external: true };
      });
    },
  };
}

/**
 * In a bundle, `import.meta` is the bundle's: each file that uses it gets its own values instead,
 * declared at its top under the names `define` puts in place of `import.meta.url` and the others
 * (esbuild renames each file's declarations apart, and the references with them).
 */
function fileMetaPlugin() {
  return {
    name: "file-import-meta",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/, namespace: "file" }, (args) => {
        const loader = LOADERS[extname(args.path)];
        const text = readFileSync(args.path, "utf8");
        if (!loader || !text.includes("import.meta")) return undefined;
        const values = { url: pathToFileURL(args.path).href, dirname: dirname(args.path), filename: args.path };
        const declarations = Object.entries(META).map(([key, name]) => `${name} = ${JSON.stringify(values[key])}`);
        return { contents: `const ${declarations.join(", ")};${text}`, loader };
      });
    },
  };
}

function settingsFilesAbove(files) {
  const dirs = new Set();
  for (const file of files) for (let dir = dirname(file); !dirs.has(dir); dir = dirname(dir)) dirs.add(dir);
  return [...dirs].flatMap((dir) => SETTINGS_FILES.map((name) => join(dir, name)));
}

/** Each config has its own cache folder: one whose config file is gone is removed when another is built. */
function pruneConfigsGone(cacheRoot) {
  for (const name of readdirSync(cacheRoot)) {
    const dir = join(cacheRoot, name);
    let configFile;
    try {
      configFile = readFileSync(join(dir, CONFIG_PATH_FILE), "utf8");
    } catch {
      // Being made by another process right now.
      continue;
    }
    if (!statSync(configFile, { throwIfNoEntry: false })) rmSync(dir, { recursive: true, force: true });
  }
}
