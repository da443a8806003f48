/** Every command of the CLI, in the order the help lists them. A new command is its file here plus one line below. */
import type { Command } from "../args.ts";
import { didYouMean } from "../config/did-you-mean.ts";
import { StackError } from "../errors.ts";
import { backupCommand } from "./backup.ts";
import { downCommand } from "./down.ts";
import { generateCommand } from "./generate.ts";
import { logsCommand } from "./logs.ts";
import { restoreCommand } from "./restore.ts";
import { smokeCommand } from "./smoke.ts";
import { statusCommand } from "./status.ts";
import { syntheticsCommand } from "./synthetics.ts";
import { upCommand } from "./up.ts";
import { validateCommand } from "./validate.ts";

export const COMMANDS: readonly Command[] = [
  generateCommand,
  validateCommand,
  upCommand,
  downCommand,
  statusCommand,
  logsCommand,
  smokeCommand,
  syntheticsCommand,
  backupCommand,
  restoreCommand,
];

export function findCommand(name: string): Command {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command) return command;
  const names = COMMANDS.map((candidate) => candidate.name);
  const suggestion = didYouMean(name, names);
  throw new StackError("USAGE", `no command "${name}"${suggestion ? `; did you mean "${suggestion}"?` : ""} (commands: ${names.join(", ")})`, "`tsx scripts/stack/cli.ts --help` describes them");
}
