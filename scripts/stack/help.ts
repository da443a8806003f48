/** What `--help` prints, built from the commands' own flag declarations so it cannot drift from the parser. */
import { STACK_FLAGS, flagLabel, type Command, type Flags } from "./args.ts";

type Row = readonly [label: string, meaning: string];

const HELP_ROW: Row = ["-h, --help", "print this help and exit"];

export function commandHelp(command: Command): string {
  const argument: Row[] = command.argument ? [[`<${command.argument.name}>`, command.argument.meaning]] : [];
  const words = [...argument.map(([label]) => label), ...flagRows(command.flags).map(([label]) => `[${label}]`)];
  return lines([`usage: npm run ${command.name} -- ${words.join(" ")}`, "", command.summary, "", ...table([...argument, ...flagRows(command.flags), HELP_ROW])]);
}

export function cliHelp(commands: readonly Command[]): string {
  return lines([
    "usage: npm run <command> -- [options]",
    "",
    "commands:",
    ...table(commands.map((command) => [command.name, command.summary])),
    "",
    "options of every command:",
    ...table([...flagRows(STACK_FLAGS), HELP_ROW]),
    "",
    "`npm run <command> -- --help` lists the options of one command.",
  ]);
}

function flagRows(flags: Flags): Row[] {
  return Object.entries(flags).map(([key, flag]) => [flagLabel(key, flag), `${flag.meaning} (default: ${flag.type === "boolean" ? "off" : flag.byDefault})`]);
}

function table(rows: readonly Row[]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, meaning]) => `  ${label.padEnd(width)}  ${meaning}`);
}

const lines = (text: readonly string[]): string => `${text.join("\n")}\n`;
