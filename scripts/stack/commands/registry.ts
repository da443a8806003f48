/**
 * Every command of the CLI, in the order the help lists them. A new command is its file, its
 * declaration in specs.ts and one line below. Each command's code is imported only when it runs:
 * the declarations are enough for the help and the parser, and loading every command (the Docker
 * client, the validators, k6, backups) cost `up` and even `--help` most of a second of start-up.
 */
import type { Command, RunnableCommand } from "../args.ts";
import { didYouMean } from "../config/did-you-mean.ts";
import { StackError } from "../errors.ts";
import { AGENT, BACKUP, DOWN, GENERATE, LOGS, RESTORE, SMOKE, STATUS, SYNTHETICS, UP, VALIDATE } from "./specs.ts";

export interface RegisteredCommand extends Command {
  /** The command with its code. */
  load(): Promise<RunnableCommand>;
}

export const COMMANDS: readonly RegisteredCommand[] = [
  { ...GENERATE, load: async () => (await import("./generate.ts")).generateCommand },
  { ...VALIDATE, load: async () => (await import("./validate.ts")).validateCommand },
  { ...UP, load: async () => (await import("./up.ts")).upCommand },
  { ...DOWN, load: async () => (await import("./down.ts")).downCommand },
  { ...STATUS, load: async () => (await import("./status.ts")).statusCommand },
  { ...LOGS, load: async () => (await import("./logs.ts")).logsCommand },
  { ...SMOKE, load: async () => (await import("./smoke.ts")).smokeCommand },
  { ...SYNTHETICS, load: async () => (await import("./synthetics.ts")).syntheticsCommand },
  { ...BACKUP, load: async () => (await import("./backup.ts")).backupCommand },
  { ...RESTORE, load: async () => (await import("./restore.ts")).restoreCommand },
  { ...AGENT, load: async () => (await import("./agent.ts")).agentCommand },
];

export function findCommand(name: string): RegisteredCommand {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command) return command;
  const names = COMMANDS.map((candidate) => candidate.name);
  const suggestion = didYouMean(name, names);
  throw new StackError("USAGE", `no command "${name}"${suggestion ? `; did you mean "${suggestion}"?` : ""} (commands: ${names.join(", ")})`, "`npm run help` describes them");
}
