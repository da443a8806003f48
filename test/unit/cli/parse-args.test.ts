/** Each command parses its own flags, and only those: checked against every command's declaration. */
import { describe, expect, it } from "vitest";
import { STACK_FLAGS, flagLabel, parseCommandArgs, wantsHelp, type Command } from "../../../scripts/stack/args.ts";
import { COMMANDS, findCommand } from "../../../scripts/stack/commands/registry.ts";
import { StackError } from "../../../scripts/stack/errors.ts";

const PATHS = ["--config", "configs/prod.ts", "--out", "build/stack"];
const AT_PATHS = { config: "configs/prod.ts", out: "build/stack", positionals: [] };

/** Per command: a command line using every flag it takes, and exactly what it parses to. */
const ACCEPTED: Record<string, { argv: string[]; options: Record<string, unknown> }> = {
  generate: { argv: PATHS, options: AT_PATHS },
  validate: { argv: [...PATHS, "--json", "--strict"], options: { ...AT_PATHS, json: true, strict: true } },
  up: { argv: PATHS, options: AT_PATHS },
  down: { argv: [...PATHS, "--volumes", "--yes"], options: { ...AT_PATHS, volumes: true, yes: true } },
  status: { argv: [...PATHS, "--json"], options: { ...AT_PATHS, json: true } },
  logs: { argv: ["loki", ...PATHS, "--tail", "50", "--no-follow"], options: { ...AT_PATHS, tail: 50, noFollow: true, positionals: ["loki"] } },
  smoke: { argv: [...PATHS, "--json", "--junit", "reports/smoke.xml"], options: { ...AT_PATHS, json: true, junit: "reports/smoke.xml" } },
  synthetics: {
    argv: [...PATHS, "--service", "shop", "--profile", "peak", "--json", "--junit", "reports/synthetics.xml"],
    options: { ...AT_PATHS, service: "shop", profile: "peak", json: true, junit: "reports/synthetics.xml" },
  },
  backup: { argv: [...PATHS, "--to", "backups/b1"], options: { ...AT_PATHS, to: "backups/b1" } },
  restore: { argv: [...PATHS, "--from", "backups/b1", "--yes"], options: { ...AT_PATHS, from: "backups/b1", yes: true } },
  agent: { argv: [...PATHS, "--host", "web-1", "--down", "--print-token"], options: { ...AT_PATHS, host: "web-1", down: true, printToken: true } },
};

/** Per command: what it parses to with no flags and no environment. */
const DEFAULTS: Record<string, Record<string, unknown>> = {
  generate: {},
  validate: { json: false, strict: false },
  up: {},
  down: { volumes: false, yes: false },
  status: { json: false },
  logs: { tail: 200, noFollow: false },
  smoke: { json: false, junit: undefined },
  synthetics: { json: false, junit: undefined, service: undefined, profile: undefined },
  backup: { to: undefined },
  restore: { from: undefined, yes: false },
  agent: { host: undefined, down: false, printToken: false },
};

/** The refusal, as cli.ts would print it. */
function refusal(command: Command, argv: string[]): StackError {
  try {
    parseCommandArgs(command, argv, {});
  } catch (error) {
    if (error instanceof StackError) return error;
    throw error;
  }
  throw new Error(`${command.name} accepted ${argv.join(" ")}`);
}

/** `--tail`, `--no-follow`: the flags as typed, without their values. */
const flagWords = (command: Command) => Object.entries(command.flags).map(([key, flag]) => flagLabel(key, flag).split(" ")[0]!);

describe("per-command flags", () => {
  it("the tables below cover every command", () => {
    const names = COMMANDS.map((command) => command.name).sort();
    expect(Object.keys(ACCEPTED).sort()).toEqual(names);
    expect(Object.keys(DEFAULTS).sort()).toEqual(names);
  });

  it.each(COMMANDS.map((command) => [command.name, command] as const))("%s: every flag it takes parses, and nothing else is set", (name, command) => {
    expect(parseCommandArgs(command, ACCEPTED[name]!.argv, {})).toEqual(ACCEPTED[name]!.options);
  });

  it.each(COMMANDS.map((command) => [command.name, command] as const))("%s: defaults without flags", (name, command) => {
    expect(parseCommandArgs(command, [], {})).toEqual({ config: undefined, out: ".stack", positionals: [], ...DEFAULTS[name] });
  });

  it("every command takes --config and --out, declared once, with STACK_CONFIG and STACK_OUT as fallbacks", () => {
    const env = { STACK_CONFIG: "env.config.ts", STACK_OUT: "env-out" };
    for (const command of COMMANDS) {
      expect(command.flags.config).toBe(STACK_FLAGS.config);
      expect(command.flags.out).toBe(STACK_FLAGS.out);
      expect(parseCommandArgs(command, [], env)).toMatchObject({ config: "env.config.ts", out: "env-out" });
      expect(parseCommandArgs(command, ["--config=flag.ts", "--out", "flag-out"], env)).toMatchObject({ config: "flag.ts", out: "flag-out" });
    }
  });

  it("an empty --config or --out, or STACK_CONFIG or STACK_OUT set but empty, is refused naming it, never read as not given", () => {
    for (const command of COMMANDS) {
      for (const flag of ["--config", "--out"]) {
        for (const argv of [[flag, ""], [`${flag}=`]]) {
          const error = refusal(command, argv);
          expect(error.code).toBe("USAGE");
          expect(error.message).toBe(`${flag} was given an empty path`);
          expect(error.hint).toBe(`give ${flag} a path, or leave it out for the default`);
        }
      }
    }
    const fromEnv = (env: Record<string, string>) => {
      try {
        parseCommandArgs(findCommand("generate"), [], env);
      } catch (error) {
        if (error instanceof StackError) return error;
      }
      throw new Error(`generate accepted ${JSON.stringify(env)}`);
    };
    expect(fromEnv({ STACK_CONFIG: "" }).message).toBe("STACK_CONFIG is set but empty; it stands for --config, which takes a path");
    expect(fromEnv({ STACK_OUT: "" }).hint).toBe("give --out a path, or leave it out and unset STACK_OUT for the default");
    // A flag that is given wins over the variable, empty or not.
    expect(parseCommandArgs(findCommand("generate"), ["--config", "a.ts", "--out", "b"], { STACK_CONFIG: "", STACK_OUT: "" })).toMatchObject({ config: "a.ts", out: "b" });
  });

  it.each(COMMANDS.map((command) => [command.name, command] as const))("%s: refuses the flags of the other commands, naming its own", (name, command) => {
    const own = new Set(flagWords(command));
    const foreign = [...new Set(COMMANDS.flatMap(flagWords))].filter((flag) => !own.has(flag));
    expect(foreign.length).toBeGreaterThan(0);
    for (const flag of foreign) {
      const error = refusal(command, [flag]);
      expect(error.code).toBe("USAGE");
      expect(error.message).toContain(`\`npm run ${name}\` has no option '${flag}'`);
      for (const accepted of own) expect(error.message).toContain(accepted);
      expect(error.hint).toBe(`\`npm run ${name} -- --help\` says what each one does`);
    }
  });

  it("status --volumes: the case from the issue", () => {
    expect(refusal(findCommand("status"), ["--volumes"]).message).toBe("`npm run status` has no option '--volumes' (it takes --config FILE, --out DIR, --json)");
  });

  it("an unknown flag is refused, with the nearest one suggested", () => {
    expect(refusal(findCommand("synthetics"), ["--junti", "reports/x.xml"]).message).toMatch(/^`npm run synthetics` has no option '--junti'; did you mean '--junit'\?/);
    expect(refusal(findCommand("up"), ["-v"]).message).toMatch(/^`npm run up` has no option '-v' \(/);
  });

  it("positionals only where the command takes one: logs <service>, nothing else", () => {
    expect(refusal(findCommand("logs"), ["loki", "grafana"]).message).toMatch(/^`npm run logs` got an unexpected argument 'grafana' \(it takes <service>, --config FILE/);
    for (const command of COMMANDS.filter((command) => !command.argument))
      expect(refusal(command, ["loki"]).message).toContain(`\`npm run ${command.name}\` got an unexpected argument 'loki'`);
    // After `--`, a word is an argument even if it looks like a flag.
    expect(parseCommandArgs(findCommand("logs"), ["--", "--odd-name"], {}).positionals).toEqual(["--odd-name"]);
  });

  it("a flag missing its value, or a switch given one, is a usage error too", () => {
    expect(refusal(findCommand("logs"), ["loki", "--tail"]).message).toContain("Option '--tail <value>' argument missing");
    expect(refusal(findCommand("status"), ["--json=yes"]).code).toBe("USAGE");
    expect(refusal(findCommand("logs"), ["loki", "--tail", "lots"]).message).toBe('--tail must be a number of lines, not "lots"');
  });

  it("the old hint, which named no command, is gone", () => {
    for (const command of COMMANDS) expect(refusal(command, ["--bogus"]).hint).not.toContain("<command>");
  });
});

describe("--help", () => {
  it("is asked for by --help or -h anywhere before `--`", () => {
    expect(wantsHelp(["--help"])).toBe(true);
    expect(wantsHelp(["loki", "--volumes", "-h"])).toBe(true);
    expect(wantsHelp(["--", "--help"])).toBe(false);
    expect(wantsHelp(["--json"])).toBe(false);
  });

  it("an unknown command is refused with the list of commands", () => {
    expect(() => findCommand("stauts")).toThrow(/no command "stauts"; did you mean "status"\? \(commands: generate, validate, up, down, status, logs, smoke, synthetics, backup, restore, agent\)/);
  });
});
