/** `--help` for every command and for the CLI, and a refusal, through the real CLI where it matters. */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { flagLabel } from "../../../scripts/stack/args.ts";
import { COMMANDS, findCommand } from "../../../scripts/stack/commands/registry.ts";
import { cliHelp, commandHelp } from "../../../scripts/stack/help.ts";
import { runCli } from "../../helpers/run-cli.ts";
import { tempProject } from "../../helpers/temp-project.ts";

/** A directory with no config: a command that loaded one, or wrote a bundle, would fail or leave files. */
const emptyProject = () => tempProject({});
const filesIn = (dir: string) => readdirSync(dir).sort();

describe("help text", () => {
  it.each(COMMANDS.map((command) => [command.name, command] as const))("%s: a usage line, its summary, one line per flag with meaning and default", (name, command) => {
    const lines = commandHelp(command).split("\n");
    expect(lines[0]).toBe(`usage: npm run ${name} -- ${command.argument ? `<${command.argument.name}> ` : ""}${Object.entries(command.flags).map(([key, flag]) => `[${flagLabel(key, flag)}]`).join(" ")}`);
    expect(lines).toContain(command.summary);
    for (const [key, flag] of Object.entries(command.flags)) {
      const line = lines.find((candidate) => candidate.trimStart().startsWith(`${flagLabel(key, flag)} `));
      expect(line, `${name}: ${key}`).toBeDefined();
      expect(line).toContain(flag.meaning);
      expect(line).toContain(`(default: ${flag.type === "boolean" ? "off" : flag.byDefault})`);
    }
    expect(lines.some((line) => line.trim().startsWith("-h, --help"))).toBe(true);
  });

  it("logs: names its argument and the defaults of --tail, --config and --out", () => {
    const help = commandHelp(findCommand("logs"));
    expect(help).toMatch(/^ {2}<service> +the service whose logs to show/m);
    expect(help).toMatch(/^ {2}--tail N +lines of history to show first \(default: 200\)$/m);
    expect(help).toMatch(/^ {2}--config FILE +.*\(default: \$STACK_CONFIG, else \.\/stack\.config\.ts\)$/m);
    expect(help).toMatch(/^ {2}--out DIR +.*\(default: \$STACK_OUT, else \.\/\.stack\)$/m);
  });

  it("the CLI: every command with its summary, and the flags every command takes", () => {
    const help = cliHelp(COMMANDS);
    expect(help.split("\n")[0]).toBe("usage: npm run <command> -- [options]");
    for (const command of COMMANDS) expect(help).toMatch(new RegExp(`^ {2}${command.name} +${command.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
    expect(help).toContain("--config FILE");
    expect(help).toContain("--out DIR");
    expect(help).toContain("`npm run <command> -- --help`");
  });
});

describe("the real CLI", () => {
  it.each([[["--help"]], [["-h"]], [["loki", "--volumes", "--help"]]])("logs %j: prints the help, exits 0, touches nothing", (args) => {
    const dir = emptyProject();
    const before = filesIn(dir);
    const run = runCli(dir, ["logs", ...args]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(commandHelp(findCommand("logs")));
    expect(filesIn(dir)).toEqual(before);
  });

  it.each([[[]], [["help"]], [["--help"]]])("cli.ts %j: prints the CLI's help and exits 0", (args) => {
    const run = runCli(emptyProject(), args);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(cliHelp(COMMANDS));
  });

  it("status --volumes: refused before anything runs, naming what status takes and how to see its help", () => {
    const dir = emptyProject();
    const before = filesIn(dir);
    const run = runCli(dir, ["status", "--volumes"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "error [USAGE]: `npm run status` has no option '--volumes' (it takes --config FILE, --out DIR, --json)\n" +
        "hint: `npm run status -- --help` says what each one does\n",
    );
    expect(filesIn(dir)).toEqual(before);
  });

  it("an unknown command is a usage error listing the commands", () => {
    const run = runCli(emptyProject(), ["stauts"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error [USAGE]: no command "stauts"; did you mean "status"?');
  });
});
