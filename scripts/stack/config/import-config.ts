/** Finds the user's config file and imports it, turning import failures into located errors. */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { StackError } from "../errors.ts";
import { formatPath } from "./zod-issues.ts";

const DEFAULT_CONFIG_NAMES = ["stack.config.ts", "stack.config.mts", "stack.config.js", "stack.config.mjs"];

/** An explicit path (even an empty one) must be a file; only without one are the default names tried. */
export function findConfigFile(explicit: string | undefined, cwd: string): string {
  const candidates = explicit === undefined ? DEFAULT_CONFIG_NAMES.map((name) => resolve(cwd, name)) : [resolve(cwd, explicit)];
  const found = candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile());
  if (found) return found;
  throw new StackError(
    "CONFIG_NOT_FOUND",
    `No stack config found. Tried:\n${candidates.map((c) => `  - ${c}`).join("\n")}`,
    explicit !== undefined
      ? "Check the path given to --config (or STACK_CONFIG)."
      : "Run the command from the project root, or pass --config path/to/stack.config.ts.",
  );
}

/**
 * Defined only in the CLI's bundle, which scripts/stack/cli-bundle.mjs compiles with it: the URL of
 * scripts/stack/config-cache.mjs. That code runs without a TypeScript loader, which only the config
 * (and what it imports) needs: the config is imported compiled from a cache, else through tsx.
 */
declare const OBS_STACK_CONFIG_COMPILER: string | undefined;

interface ConfigCompiler {
  /** The config compiled into one module, or undefined when it must be imported through tsx. */
  compiledConfig(configFile: string): Promise<string | undefined>;
}

let typeScriptLoader: Promise<void> | undefined;

/** tsx's ESM hooks, registered once, as `node --import tsx` registers them. */
function loadTypeScript(): Promise<void> {
  typeScriptLoader ??= import("tsx/esm/api").then(({ register }) => void register());
  return typeScriptLoader;
}

/**
 * A config outside an ES-module package (no `"type": "module"` above it) is CommonJS to Node; tsx
 * registered after start-up (the bundle's case) hands its exports over wrapped once more, as
 * `{ __esModule: true, default: <config> }`, where `node --import tsx` unwraps them itself.
 */
function defaultExport(module: { default?: unknown }): unknown {
  const value = module.default;
  const wrapped = typeof value === "object" && value !== null && (value as { __esModule?: unknown }).__esModule === true;
  return wrapped ? (value as { default?: unknown }).default : value;
}

/** A query string defeats the ESM cache so a long-lived process sees edits (and runs the config anew). */
const importFresh = (file: string) => import(`${pathToFileURL(file).href}?t=${Date.now()}`) as Promise<{ default?: unknown }>;

export async function importConfigModule(file: string): Promise<unknown> {
  if (typeof OBS_STACK_CONFIG_COMPILER !== "undefined") {
    const compiler = (await import(OBS_STACK_CONFIG_COMPILER)) as ConfigCompiler;
    const compiled = await compiler.compiledConfig(file);
    if (compiled !== undefined) {
      try {
        return configOf(await importFresh(compiled), file);
      } catch {
        // Whatever failed is tried again below, through tsx (so a failing config runs twice): its
        // error names the config's own file and line, which the compiled module's would not, and a
        // failure of the compiled module alone (a CommonJS config reading __dirname) is not the user's.
      }
    }
  }
  let module: { default?: unknown };
  try {
    if (typeof OBS_STACK_CONFIG_COMPILER !== "undefined") await loadTypeScript();
    module = await importFresh(file);
  } catch (error) {
    throw importFailure(file, error);
  }
  return configOf(module, file);
}

function configOf(module: { default?: unknown }, file: string): unknown {
  const config = defaultExport(module);
  if (config === undefined) {
    throw new StackError(
      "CONFIG_IMPORT_FAILED",
      `${file}: has no default export`,
      "End the file with `export default defineStack({ ... })`.",
    );
  }
  return plainData(config, file);
}

/**
 * The config, read once and copied into plain data. Reading it may run the user's code (a getter,
 * a Proxy), so a throw here is the config's to fix, reported with the file and the path being read;
 * the schema and everything after it then read data that cannot throw. Arrays and plain objects
 * are copied; any other value is left for the schema to judge.
 */
function plainData(config: unknown, file: string): unknown {
  // Where the copy is: on a throw it still names the value whose reading threw.
  const path: Array<string | number> = [];
  const open: object[] = [];
  const copy = (value: unknown): unknown => {
    if (!isContainer(value)) return value;
    if (open.includes(value))
      throw new StackError("CONFIG_IMPORT_FAILED", `${file}: ${formatPath(path)} refers back to a value that contains it`, "The config must be plain data: a value may appear twice, but not inside itself.");
    open.push(value);
    const read = (key: string | number) => {
      path.push(key);
      const entry = copy((value as Record<string | number, unknown>)[key]);
      path.pop();
      return entry;
    };
    const copied = Array.isArray(value) ? Array.from({ length: value.length }, (_, index) => read(index)) : Object.fromEntries(Object.keys(value).map((key) => [key, read(key)]));
    open.pop();
    return copied;
  };
  try {
    return copy(config);
  } catch (error) {
    if (error instanceof StackError) throw error;
    const err = error instanceof Error ? error : new Error(String(error));
    throw new StackError(
      "CONFIG_IMPORT_FAILED",
      `${located(file, stackLine(err.stack ?? "", file))}: reading ${path.length === 0 ? "the default export" : formatPath(path)} from the config threw: ${err.message}`,
      "A getter or Proxy in the config threw while obs-stack read it: fix it, or give that value as plain data.",
    );
  }
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null && (Array.isArray(value) || [Object.prototype, null].includes(Object.getPrototypeOf(value)));
}

const located = (file: string, line: number | undefined) => (line ? `${file}:${line}` : file);

function importFailure(file: string, error: unknown): StackError {
  const err = error instanceof Error ? error : new Error(String(error));
  const message = stripAnsi(err.message);
  const line = syntaxErrorLine(message) ?? stackLine(err.stack ?? "", file);
  const cause = syntaxErrorCause(message) ?? message.split("\n")[0] ?? String(error);
  return new StackError(
    "CONFIG_IMPORT_FAILED",
    `${located(file, line)}: the config file could not be loaded: ${cause}`,
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
