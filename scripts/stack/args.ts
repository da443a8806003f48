/**
 * Command-line options. Each command declares the flags it takes as data (commands/specs.ts, apart
 * from its code so the CLI loads only the command it runs); the flags several commands share are
 * declared here once.
 * A command's words are parsed against its own declaration only, so a flag it does not take — a
 * typo, or another command's flag such as `status --volumes` — is refused instead of ignored.
 */
import { parseArgs } from "node:util";
import { didYouMean } from "./config/did-you-mean.ts";
import { StackError } from "./errors.ts";
import type { Output } from "./output.ts";

/** A switch: on when given, off otherwise. */
export interface BooleanFlag {
  readonly type: "boolean";
  readonly meaning: string;
}

/** A flag followed by a value (`--tail 50`). */
export interface ValueFlag<T> {
  readonly type: "string";
  /** Stands for the value in the help: `--tail N`. */
  readonly placeholder: string;
  readonly meaning: string;
  /** What applies without the flag, in the help's words. */
  readonly byDefault: string;
  /** The option's value from the given text, or (`raw` undefined) from the environment or default. */
  readonly read: (raw: string | undefined, env: NodeJS.ProcessEnv) => T;
}

export type Flag = BooleanFlag | ValueFlag<unknown>;
/** Keyed by the option's name in the code; on the command line it is kebab-case (`noFollow` → `--no-follow`). */
export type Flags = Readonly<Record<string, Flag>>;

type FlagValue<T extends Flag> = T extends ValueFlag<infer V> ? V : boolean;
export type FlagValues<F extends Flags> = { -readonly [K in keyof F]: FlagValue<F[K]> };
export type Options<F extends Flags> = FlagValues<F> & { positionals: string[] };

/**
 * What the parser and the help know of a command: data only, no code of its own, so the CLI can
 * list and parse every command without loading any (commands/specs.ts holds them all).
 */
export interface Command<F extends Flags = Flags> {
  /** The word after `cli.ts`, and the npm script's name. */
  readonly name: string;
  /** One line for the help. */
  readonly summary: string;
  /** The one positional argument the command takes, if any (`logs <service>`). */
  readonly argument?: { readonly name: string; readonly meaning: string };
  readonly flags: F;
}

/** A command with its code: the `…Command` export of commands/<name>.ts. */
export interface RunnableCommand<F extends Flags = Flags> extends Command<F> {
  // Method syntax, so a command typed by its own flags still fits in the list of all commands.
  run(options: Options<F>, out: Output): Promise<unknown>;
}

export const booleanFlag = (meaning: string): BooleanFlag => ({ type: "boolean", meaning });

export const valueFlag = <T>(flag: Omit<ValueFlag<T>, "type">): ValueFlag<T> => ({ type: "string", ...flag });

/** A value flag that is simply undefined when not given. */
export const optionalValueFlag = (placeholder: string, meaning: string, byDefault: string): ValueFlag<string | undefined> =>
  valueFlag({ placeholder, meaning, byDefault, read: (raw) => raw });

/** Where the config is and where the bundle goes: every command takes these. */
export const STACK_FLAGS = {
  config: valueFlag({
    placeholder: "FILE",
    meaning: "the stack config",
    byDefault: "$STACK_CONFIG, else ./stack.config.ts",
    read: (raw, env) => givenPath("--config", raw, "STACK_CONFIG", env),
  }),
  out: valueFlag({
    placeholder: "DIR",
    meaning: "the directory of the generated bundle",
    byDefault: "$STACK_OUT, else ./.stack",
    read: (raw, env) => givenPath("--out", raw, "STACK_OUT", env) ?? ".stack",
  }),
};

export type StackOptions = FlagValues<typeof STACK_FLAGS>;

/**
 * The flag's path, else the variable's. An empty one is refused: taken for "not given" it would
 * silently pick the default config, and as a path it is the working directory itself.
 */
function givenPath(flag: string, raw: string | undefined, variable: string, env: NodeJS.ProcessEnv): string | undefined {
  const value = raw ?? env[variable];
  if (value !== "") return value;
  throw new StackError(
    "USAGE",
    raw === undefined ? `${variable} is set but empty; it stands for ${flag}, which takes a path` : `${flag} was given an empty path`,
    `give ${flag} a path, or leave it out${raw === undefined ? ` and unset ${variable}` : ""} for the default`,
  );
}

/** For the commands whose result is a document: the table or report becomes JSON. */
export const JSON_FLAG = booleanFlag("print the result as one JSON document on stdout, progress on stderr");

/** For the commands that run checks, so CI can show them as test results. */
export const JUNIT_FLAG = optionalValueFlag("FILE", "also write the results as JUnit XML to FILE", "no XML file");

export const isHelpFlag = (word: string): boolean => word === "--help" || word === "-h";

/** `--help` or `-h` anywhere before a `--` (after it, words are arguments). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return argv.slice(0, end < 0 ? undefined : end).some(isHelpFlag);
}

/** `noFollow` → `--no-follow`, `tail` → `--tail N`: how a flag is written on the command line. */
export function flagLabel(key: string, flag: Flag): string {
  return flag.type === "boolean" ? `--${optionName(key)}` : `--${optionName(key)} ${flag.placeholder}`;
}

export function parseCommandArgs<F extends Flags>(command: Command<F>, argv: readonly string[], env: NodeJS.ProcessEnv): Options<F> {
  const options: NodeOptions = Object.fromEntries(Object.entries(command.flags).map(([key, flag]) => [optionName(key), { type: flag.type }]));
  // A lenient pass first, to name an unknown flag ourselves: Node's strict message suggests passing it as a positional.
  const { tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  const unknown = tokens.find((token) => token.kind === "option" && !Object.hasOwn(options, token.name));
  if (unknown?.kind === "option") {
    const suggestion = didYouMean(unknown.rawName, Object.keys(options).map((name) => `--${name}`));
    throw usageError(command, `has no option '${unknown.rawName}'${suggestion ? `; did you mean '${suggestion}'?` : ""}`);
  }
  const parsed = parseStrictly(command, argv, options);
  const extra = parsed.positionals[command.argument ? 1 : 0];
  if (extra !== undefined) throw usageError(command, `got an unexpected argument '${extra}'`);
  const values = Object.entries(command.flags).map(([key, flag]) => {
    const given = parsed.values[optionName(key)];
    return [key, flag.type === "boolean" ? given === true : flag.read(given as string | undefined, env)];
  });
  return { ...Object.fromEntries(values), positionals: parsed.positionals } as Options<F>;
}

/** Node's own checks (a flag missing its value, a value given to a switch) as usage errors. */
function parseStrictly(command: Command, argv: readonly string[], options: NodeOptions) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(command, `cannot read its options: ${(error as Error).message}`);
  }
}

type NodeOptions = Record<string, { type: Flag["type"] }>;

function usageError(command: Command, problem: string): StackError {
  const accepted = [...(command.argument ? [`<${command.argument.name}>`] : []), ...Object.entries(command.flags).map(([key, flag]) => flagLabel(key, flag))];
  return new StackError("USAGE", `\`npm run ${command.name}\` ${problem} (it takes ${accepted.join(", ")})`, `\`npm run ${command.name} -- --help\` says what each one does`);
}

function optionName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
