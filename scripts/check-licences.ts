/**
 * `npm run licences`: fails when a build file of the repository names a forbidden Go module
 * (scripts/stack/catalog/forbidden-modules.ts), when an npm package the project installs is not
 * permissively licensed, or, with `--go-cache`, when Go's module cache holds a forbidden module —
 * proof after a cold `.ci/run` that no build fetched one, directly or as a dependency.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { parseArgs } from "node:util";
import { FORBIDDEN_GO_MODULES, forbiddenModuleIn, type ForbiddenModule } from "./stack/catalog/forbidden-modules.ts";
import { REPO_ROOT } from "./stack/render/templates.ts";

export interface Finding {
  where: string;
  module: ForbiddenModule;
}

/** Licences the project's npm dependencies may have (SPDX ids). */
const PERMISSIVE_LICENCES = new Set(["MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "0BSD", "Unlicense", "CC0-1.0", "BlueOak-1.0.0"]);
/**
 * Development-only tools may be file-level copyleft: they are never shipped or linked into the
 * product (lightningcss arrives with vitest's vite, MPL-2.0).
 */
const DEV_ONLY_ALLOWED = new Set(["MPL-2.0"]);

interface LockPackage {
  version?: string;
  license?: string;
  dev?: boolean;
}

/** Packages of an npm lock file whose licence is not allowed, as "path@version: licence". */
export function unlicensedPackages(lockFile: string): string[] {
  const lock = JSON.parse(readFileSync(lockFile, "utf8")) as { packages: Record<string, LockPackage> };
  const root = dirname(lockFile);
  return Object.entries(lock.packages)
    .filter(([path]) => path !== "")
    .flatMap(([path, pkg]) => {
      const licence = pkg.license ?? licenceFromManifest(join(root, path, "package.json"));
      const allowed = licence !== undefined && (PERMISSIVE_LICENCES.has(licence) || (pkg.dev === true && DEV_ONLY_ALLOWED.has(licence)));
      return allowed ? [] : [`${path}@${pkg.version ?? "?"}: ${licence ?? "no licence declared"}${pkg.dev ? " (dev)" : ""}`];
    });
}

/** Old packages declare `licenses: [{ type }]` instead of `license`, which lock files do not copy. */
function licenceFromManifest(manifest: string): string | undefined {
  if (!existsSync(manifest)) return undefined;
  const json = JSON.parse(readFileSync(manifest, "utf8")) as { license?: string; licenses?: Array<{ type?: string }> };
  const types = json.licenses?.map((entry) => entry.type).filter((type): type is string => Boolean(type));
  return json.license ?? (types && types.length === 1 ? types[0] : undefined);
}

const SKIPPED_DIRS = new Set([".git", "node_modules", ".stack", "reports"]);
/** The list itself, this checker and its test name the modules on purpose. */
const SELF = new Set(["scripts/stack/catalog/forbidden-modules.ts", "scripts/check-licences.ts", "test/unit/licences/forbidden-modules.test.ts"]);

/**
 * Every file that can fetch, build or import code or drive a build — scripts, sources, modules,
 * manifests, CI — which is every file but prose, the golden bundles (rendered configs) and lock
 * files (npm's registry URLs).
 */
function isBuildFile(path: string): boolean {
  const name = basename(path);
  if (/\.(md|txt)$/i.test(name) || name === "LICENSE" || name.endsWith("package-lock.json")) return false;
  return !path.startsWith("test/golden/") && !path.startsWith("docs/");
}

function walk(root: string, dir: string, visit: (path: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(root, full, visit);
    else if (entry.isFile()) visit(relative(root, full).split(sep).join("/"));
  }
}

export function findInBuildFiles(root: string): Finding[] {
  const findings: Finding[] = [];
  walk(root, root, (path) => {
    if (SELF.has(path) || !isBuildFile(path)) return;
    const module = forbiddenModuleIn(readFileSync(join(root, path), "utf8"));
    if (module) findings.push({ where: path, module });
  });
  return findings;
}

/** Module paths present in a Go module cache: `cache/download/<path>/@v/` holds every fetched version. */
export function findInModuleCache(gomodcache: string): Finding[] {
  const download = join(gomodcache, "cache", "download");
  const findings: Finding[] = [];
  for (const module of FORBIDDEN_GO_MODULES) {
    const dir = join(download, ...module.path.split("/"));
    if (existsSync(dir) && statSync(dir).isDirectory()) findings.push({ where: `${relative(gomodcache, dir)}/`, module });
  }
  return findings;
}

export const LOCK_FILES = ["package-lock.json", "demo/package-lock.json"];

function goModCache(): string {
  const run = spawnSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`go env GOMODCACHE failed: ${run.stderr}`);
  return run.stdout.trim();
}

function main(): void {
  const { values } = parseArgs({ options: { "go-cache": { type: "boolean", default: false } } });
  const findings = findInBuildFiles(REPO_ROOT);
  const cache = values["go-cache"] ? goModCache() : undefined;
  if (cache) findings.push(...findInModuleCache(cache));
  for (const { where, module } of findings) process.stderr.write(`forbidden Go module ${module.path} in ${where}: ${module.why}\n`);
  const packages = LOCK_FILES.flatMap((file) => unlicensedPackages(join(REPO_ROOT, file)).map((entry) => `${file}: ${entry}`));
  for (const entry of packages) process.stderr.write(`npm package without a permissive licence: ${entry}\n`);
  if (findings.length + packages.length > 0) {
    process.stderr.write("hint: build these components from their official images only; see scripts/stack/catalog/forbidden-modules.ts\n");
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`no forbidden Go module in the build files${cache ? ` or in ${cache}` : ""}; every npm package permissively licensed\n`);
}

if (process.argv[1] && relative(process.argv[1], import.meta.filename) === "") main();
