/**
 * The only module that writes to the filesystem. The bundle is staged in full before anything is
 * renamed into place, files whose bytes did not change are left alone (their mtime too), and only
 * files this tool generated before (listed in the manifest) are ever removed.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { StackError } from "../errors.ts";
import type { Bundle } from "../render/bundle.ts";

export const MANIFEST_FILE = ".obs-stack-manifest.json";

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

export function writeBundle(outDir: string, bundle: Bundle): WriteResult {
  const result: WriteResult = { written: [], unchanged: [], removed: [] };
  const staged: Array<{ temp: string; target: string }> = [];
  try {
    for (const [relativePath, contents] of bundle) {
      const target = join(outDir, relativePath);
      if (existsSync(target) && readFileSync(target, "utf8") === contents) {
        result.unchanged.push(relativePath);
        continue;
      }
      mkdirSync(dirname(target), { recursive: true });
      const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
      writeFileSync(temp, contents, { mode: 0o644 });
      staged.push({ temp, target });
      result.written.push(relativePath);
    }
  } catch (error) {
    for (const { temp } of staged) rmSync(temp, { force: true });
    throw new StackError("WRITE_FAILED", `Could not write the bundle to ${outDir}: ${(error as Error).message}`, "Check that the output directory is writable.");
  }
  for (const { temp, target } of staged) renameSync(temp, target);

  const previous = readManifest(outDir);
  for (const relativePath of previous) {
    if (bundle.has(relativePath)) continue;
    rmSync(join(outDir, relativePath), { force: true });
    result.removed.push(relativePath);
  }
  writeFileSync(join(outDir, MANIFEST_FILE), `${JSON.stringify([...bundle.keys()], null, 2)}\n`);
  return result;
}

function readManifest(outDir: string): string[] {
  const path = join(outDir, MANIFEST_FILE);
  if (!existsSync(path)) return [];
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    return Array.isArray(parsed) ? parsed.filter((entry): entry is string => typeof entry === "string") : [];
  } catch {
    return [];
  }
}

/**
 * Adds generated secrets that are missing from `.env` without touching anything already there;
 * the file is created, or tightened, to mode 0600. Returns the names it added.
 */
export function ensureEnvSecrets(envFile: string, generated: ReadonlyArray<{ name: string; create: () => string }>, present: ReadonlySet<string>): string[] {
  const missing = generated.filter((secret) => !present.has(secret.name));
  if (existsSync(envFile) && (statSync(envFile).mode & 0o077) !== 0) chmodSync(envFile, 0o600);
  if (missing.length === 0) return [];
  const lines = missing.map((secret) => `${secret.name}=${secret.create()}\n`).join("");
  if (existsSync(envFile)) {
    const existing = readFileSync(envFile, "utf8");
    // Appending never rewrites what the user already has in the file.
    appendFileSync(envFile, `${existing === "" || existing.endsWith("\n") ? "" : "\n"}${lines}`);
  } else {
    writeFileSync(envFile, `# Secrets for the obs-stack bundle. Keep this file private; never commit it.\n${lines}`, { mode: 0o600, flag: "wx" });
  }
  return missing.map((secret) => secret.name);
}
