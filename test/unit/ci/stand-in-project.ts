/**
 * A throwaway npm project whose scripts carry the real script names but only record how they were
 * called, replay output captured from the real commands, and write the --junit file. CI snippets
 * then run through real bash and real npm (its banner, `--` handling, exit codes) without Docker.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tempProject } from "../../helpers/temp-project.ts";

export interface Replay {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Never exits, with a child process of its own, like `logs` following a running container through Compose. */
  follow?: boolean;
}

export interface ScriptCall {
  script: string;
  args: string[];
}

export interface ShellRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface StandIn {
  dir: string;
  /** Runs a snippet the way CI runners do: bash with -e and pipefail. */
  run(shell: string, env?: Record<string, string>): ShellRun;
  calls(): ScriptCall[];
}

const RECORDER = `import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
const [script, ...args] = process.argv.slice(2);
appendFileSync(process.env.CALLS_FILE, JSON.stringify({ script, args }) + "\\n");
// Like the real commands: the report goes where --junit says, into a directory that must exist.
const junit = args.indexOf("--junit");
if (junit >= 0) writeFileSync(args[junit + 1], "<testsuites/>\\n");
const replays = JSON.parse(readFileSync(new URL("./replays.json", import.meta.url), "utf8"));
const replay = replays[[script, ...args].join(" ")];
if (replay) {
  process.stdout.write(replay.stdout);
  process.stderr.write(replay.stderr);
  process.exitCode = replay.exitCode;
  if (replay.follow) {
    spawn(process.execPath, ["-e", "setInterval(() => {}, 1e9)"], { stdio: "inherit" });
    setInterval(() => {}, 1e9);
  }
}
`;

/** `replays` is keyed by the script name and its arguments joined by spaces; others print nothing and succeed. */
export function standInProject(scriptNames: readonly string[], replays: Record<string, Replay>): StandIn {
  const packageJson = {
    name: "stand-in",
    version: "0.0.0",
    private: true,
    type: "module",
    scripts: Object.fromEntries(scriptNames.map((name) => [name, `node recorder.mjs ${name}`])),
  };
  // `npm ci` needs a lockfile; this one says "no dependencies".
  const lockfile = { name: "stand-in", version: "0.0.0", lockfileVersion: 3, requires: true, packages: { "": { name: "stand-in", version: "0.0.0" } } };
  const dir = tempProject({
    "package.json": JSON.stringify(packageJson, null, 2),
    "package-lock.json": JSON.stringify(lockfile, null, 2),
    "recorder.mjs": RECORDER,
    "replays.json": JSON.stringify(replays),
  });
  const callsFile = join(dir, "calls.jsonl");
  // The npm_* variables of an enclosing `npm test` would leak its settings into the stand-in's npm.
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("npm_")));
  return {
    dir,
    run(shell, env = {}) {
      // coreutils timeout signals its whole process group, so a hung snippet leaves no followers behind.
      const run = spawnSync("timeout", ["--kill-after=5", "60", "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", shell], {
        cwd: dir,
        encoding: "utf8",
        env: { ...baseEnv, CALLS_FILE: callsFile, ...env },
      });
      return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    },
    calls() {
      if (!existsSync(callsFile)) return [];
      return readFileSync(callsFile, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as ScriptCall);
    },
  };
}
