/** Finds the user's config file and imports it, turning import failures into located errors. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { StackError } from "../errors.ts";

export const DEFAULT_CONFIG_NAMES = ["stack.config.ts", "stack.config.mts", "stack.config.js", "stack.config.mjs"];

/** An explicit path must exist; otherwise the default names are tried in the working directory. */
export function findConfigFile(explicit: string | undefined, cwd: string): string {
  const candidates = explicit ? [resolve(cwd, explicit)] : DEFAULT_CONFIG_NAMES.map((name) => resolve(cwd, name));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return found;
  throw new StackError(
    "CONFIG_NOT_FOUND",
    `No stack config found. Tried:\n${candidates.map((c) => `  - ${c}`).join("\n")}`,
    explicit
      ? "Check the path given to --config (or STACK_CONFIG)."
      : "Run the command from the project root, or pass --config path/to/stack.config.ts.",
  );
}

export async function importConfigModule(file: string): Promise<unknown> {
  let module: { default?: unknown };
  try {
    // A query string defeats the ESM cache so a long-lived process sees edits.
    module = (await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as { default?: unknown };
  } catch (error) {
    throw importFailure(file, error);
  }
  if (module.default === undefined) {
    throw new StackError(
      "CONFIG_IMPORT_FAILED",
      `${file}: has no default export`,
      "End the file with `export default defineStack({ ... })`.",
    );
  }
  return module.default;
}

function importFailure(file: string, error: unknown): StackError {
  const err = error instanceof Error ? error : new Error(String(error));
  const location = syntaxErrorLocation(err.message) ?? stackLocation(err.stack ?? "", file);
  const cause = location?.cause ?? err.message.split("\n")[0] ?? String(error);
  const where = location ? `${location.file}:${location.line}` : file;
  return new StackError(
    "CONFIG_IMPORT_FAILED",
    `${where}: the config file could not be loaded: ${cause}`,
    "Fix the error at that line; the file must be valid TypeScript that exports `defineStack({ ... })` as default.",
  );
}

interface Location {
  file: string;
  line: number;
  cause?: string;
}

/** esbuild reports syntax errors as `/abs/file.ts:12:4: ERROR: Expected ...`. */
function syntaxErrorLocation(message: string): Location | undefined {
  const match = /(\S+):(\d+):\d+: ERROR: (.+)/.exec(message);
  if (!match) return undefined;
  return { file: match[1]!, line: Number(match[2]), cause: match[3]! };
}

/** A throw while the module runs: take the first stack frame inside the config file. */
function stackLocation(stack: string, file: string): Location | undefined {
  for (const line of stack.split("\n")) {
    const index = line.indexOf(file);
    if (index === -1) continue;
    const match = /^(?:\?[^:]*)?:(\d+):\d+/.exec(line.slice(index + file.length));
    if (match) return { file, line: Number(match[1]) };
  }
  return undefined;
}
