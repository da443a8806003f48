/**
 * Finds the `npm run` commands in CI shell snippets and checks them against what the project really
 * has: the script must exist in package.json, and flags meant for our CLI must pass the parser of
 * the command the script runs.
 */
import { parseCommandArgs, type Flags, type Options } from "../../../scripts/stack/args.ts";
import { findCommand } from "../../../scripts/stack/commands/registry.ts";

export interface NpmRun {
  script: string;
  /** Words after `--`, as the script receives them. */
  args: string[];
  /** Flags before `--` other than --silent: npm takes them for itself. */
  npmFlags: string[];
  command: string;
}

const NPM_QUIET = new Set(["-s", "--silent"]);

/**
 * The simple commands of a snippet that start with `npm run`. A command ends at a shell operator or
 * a redirection (`2>&1`, `| tail`, `|| true`); words are unquoted, variables stay as written.
 */
export function npmRuns(shell: string): NpmRun[] {
  const runs: NpmRun[] = [];
  // A commented-out command is not run.
  const live = shell.replace(/(^|\s)#.*$/gm, "$1");
  for (const match of live.matchAll(/\bnpm\s+run\b([^\n|;&<>)]*)/g)) {
    const rest = match[1]!.replace(/\s+\d+$/, ""); // the fd of a redirection such as 2>&1
    const words = [...rest.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((word) => word[1] ?? word[2] ?? word[3]!);
    const scriptAt = words.findIndex((word) => !word.startsWith("-"));
    if (scriptAt < 0) continue;
    const separator = words.indexOf("--", scriptAt);
    runs.push({
      script: words[scriptAt]!,
      args: separator < 0 ? [] : words.slice(separator + 1),
      npmFlags: [...words.slice(0, scriptAt), ...words.slice(scriptAt + 1, separator < 0 ? undefined : separator)].filter(
        (word) => word.startsWith("-") && !NPM_QUIET.has(word),
      ),
      command: `npm run${rest}`.trim(),
    });
  }
  return runs;
}

/** Why each command would not work with this package.json; empty when all would. */
export function npmRunProblems(runs: readonly NpmRun[], scripts: Readonly<Record<string, string>>): string[] {
  return runs.flatMap((run) => {
    const body = scripts[run.script];
    if (body === undefined) return [`\`${run.command}\`: package.json has no script "${run.script}"`];
    const problems = run.npmFlags.map((flag) => `\`${run.command}\`: ${flag} before \`--\` goes to npm, not to the script`);
    const command = /scripts\/stack\/launch\.mjs\s+(\S+)/.exec(body)?.[1];
    if (command !== undefined) {
      try {
        cliOptions(command, run.args);
      } catch (error) {
        problems.push(`\`${run.command}\`: ${(error as Error).message}`);
      }
    }
    return problems;
  });
}

/** What our CLI's `command` makes of these words (its StackError when it refuses them). */
export function cliOptions(command: string, args: readonly string[]): Options<Flags> {
  return parseCommandArgs(findCommand(command), args, {});
}
