/** Entry point of every npm script: dispatches the command and turns errors into exit codes. */
import { isHelpFlag, parseCommandArgs, wantsHelp } from "./args.ts";
import { COMMANDS, findCommand } from "./commands/registry.ts";
import { ConfigError, StackError, formatIssue, type ErrorCode } from "./errors.ts";
import { cliHelp, commandHelp } from "./help.ts";
import { consoleOutput } from "./output.ts";

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || isHelpFlag(name)) {
    process.stdout.write(cliHelp(COMMANDS));
    return 0;
  }
  const command = findCommand(name);
  // Before parsing, so the help is there even for a command line the parser would refuse.
  if (wantsHelp(rest)) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  const options = parseCommandArgs(command, rest, process.env);
  // Only the commands that take --json have it; the others always print for people.
  const runnable = await command.load();
  await runnable.run(options, consoleOutput({ json: options.json === true }));
  return 0;
}

/**
 * Failures of the machine rather than of obs-stack: the Docker engine answering with an error, or
 * the OS refusing a file or process operation. They get a sentence, not a stack trace.
 */
function environmentError(error: unknown): { message: string; hint: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { statusCode, code, path } = error as Error & { statusCode?: number; code?: string; path?: string };
  if (typeof statusCode === "number")
    return { message: `the Docker engine answered ${statusCode}: ${error.message}`, hint: "check `docker info` and `npm run status`" };
  if (typeof code === "string" && /^E[A-Z]+$/.test(code))
    return { message: `${code}${path ? ` on ${path}` : ""}: ${error.message}`, hint: "check the path, its permissions, and that Docker is running" };
  return undefined;
}

/** The code in brackets is stable, for scripts and CI logs to match on; the message is for people. */
const errorLine = (code: ErrorCode | "ENVIRONMENT", message: string) => `error [${code}]: ${message}\n`;

function report(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(errorLine(error.code, error.message));
    for (const issue of error.issues) process.stderr.write(`  ${formatIssue(issue).replace(/\n/g, "\n  ")}\n`);
    process.stderr.write(`hint: ${error.hint}\n`);
    return 1;
  }
  if (error instanceof StackError) {
    process.stderr.write(errorLine(error.code, error.message));
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    return 1;
  }
  const environmental = environmentError(error);
  if (environmental) {
    process.stderr.write(`${errorLine("ENVIRONMENT", environmental.message)}hint: ${environmental.hint}\n`);
    return 1;
  }
  process.stderr.write(`internal error (a bug in obs-stack, please report it):\n${(error as Error)?.stack ?? String(error)}\n`);
  return 70;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);
