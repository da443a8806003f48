/** Finds the user's config file and imports it, turning import failures into located errors. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { StackError } from "../errors.ts";

const DEFAULT_CONFIG_NAMES = ["stack.config.ts", "stack.config.mts", "stack.config.js", "stack.config.mjs"];

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
  const message = stripAnsi(err.message);
  const line = syntaxErrorLine(message) ?? stackLine(err.stack ?? "", file);
  const cause = syntaxErrorCause(message) ?? message.split("\n")[0] ?? String(error);
  return new StackError(
    "CONFIG_IMPORT_FAILED",
    `${line ? `${file}:${line}` : file}: the config file could not be loaded: ${cause}`,
    "Fix the error at that line; the file must be valid TypeScript that exports `defineStack({ ... })` as default.",
  );
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

/**
 * Syntax errors carry the location in the transformer's own format: esbuild (tsx) writes
 * `/abs/file.ts:12:4: ERROR: Expected ...`, oxc (Vite) writes `[ path/file.ts:12:4 ]`.
 */
function syntaxErrorLine(message: string): number | undefined {
  const match = /\S+:(\d+):\d+: ERROR: /.exec(message) ?? /\[\s*\S+?:(\d+):\d+\s*\]/.exec(message);
  return match ? Number(match[1]) : undefined;
}

function syntaxErrorCause(message: string): string | undefined {
  return (/ERROR: (.+)/.exec(message) ?? /\[[A-Z_]+\]\s*(.+)/.exec(message))?.[1]?.trim();
}

/** A throw while the module runs: take the first stack frame inside the config file. */
function stackLine(stack: string, file: string): number | undefined {
  for (const line of stack.split("\n")) {
    const index = line.indexOf(file);
    if (index === -1) continue;
    const match = /^(?:\?[^:]*)?:(\d+):\d+/.exec(line.slice(index + file.length));
    if (match) return Number(match[1]);
  }
  return undefined;
}
