/**
 * The example CI files in examples/ci/ are copied by users as they are, so they must only call
 * scripts and flags that exist, keep the reports they produce, always tear the stack down, and
 * their failure diagnostics must work on what `npm run status -- --json` really prints.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { parseCommandArgs } from "../../../scripts/stack/args.ts";
import { status, statusCommand } from "../../../scripts/stack/commands/status.ts";
import { StackError } from "../../../scripts/stack/errors.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import type { ContainerState } from "../../../scripts/stack/runtime/docker.ts";
import { tempProject } from "../../helpers/temp-project.ts";
import { cliOptions, npmRunProblems, npmRuns, type NpmRun } from "./npm-invocations.ts";
import { standInProject, type Replay } from "./stand-in-project.ts";
import {
  GITHUB_WORKFLOW,
  GITLAB_CI,
  githubShell,
  gitlabShell,
  parseYaml,
  readGithubWorkflow,
  readGitlabJobs,
  type GithubStep,
  type GitlabJob,
} from "./workflow-files.ts";

// The Docker engine is the one edge replaced: status() itself, its formatter and its exit
// behaviour are the real ones.
const engine = vi.hoisted(() => ({ reachable: true, containers: [] as ContainerState[] }));
vi.mock("../../../scripts/stack/runtime/docker.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../scripts/stack/runtime/docker.ts")>()),
  dockerReachable: async () => engine.reachable,
  requireDocker: async (hint: string) => {
    if (!engine.reachable) throw new StackError("PREFLIGHT_FAILED", "the Docker engine is not reachable", hint);
  },
  projectContainers: async () => engine.containers,
}));

const packageScripts = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const githubText = readFileSync(GITHUB_WORKFLOW, "utf8");
const gitlabText = readFileSync(GITLAB_CI, "utf8");
const github = readGithubWorkflow(githubText);
const gitlab = readGitlabJobs(gitlabText);
const githubSteps = Object.values(github.jobs).flatMap((job) => job.steps);
const gitlabJobs = Object.values(gitlab);

const runsOf = (shell: readonly string[]): NpmRun[] => shell.flatMap(npmRuns);
const invokes = (script: string) => (step: GithubStep) => runsOf(step.run ? [step.run] : []).some((run) => run.script === script);
const junitPaths = (runs: readonly NpmRun[]) => runs.map((run) => cliOptions(run.script, run.args).junit).filter((path): path is string => typeof path === "string");

describe("example CI files: commands", () => {
  it("parse as YAML without errors or duplicate keys", () => {
    expect(Object.keys(github.jobs).length).toBeGreaterThan(0);
    expect(gitlabJobs.length).toBeGreaterThan(0);
    expect(() => parseYaml("a: 1\na: 2\n")).toThrow(/unique/i);
  });

  it.each([
    ["GitHub Actions", () => runsOf(githubShell(github))],
    ["GitLab CI", () => runsOf(gitlabShell(gitlab))],
  ])("%s: every `npm run` names a real script with flags our CLI accepts", (_, runs) => {
    const found = runs();
    expect(new Set(found.map((run) => run.script))).toEqual(new Set(["up", "smoke", "synthetics", "status", "logs", "down"]));
    expect(npmRunProblems(found, packageScripts)).toEqual([]);
  });

  it("the checker rejects a bogus script, a bogus flag, and a flag npm would swallow", () => {
    const broken = readGithubWorkflow(
      githubText
        .replace("npm run smoke --", "npm run smoek --")
        .replace("--junit reports/synthetics.xml", "--junti reports/synthetics.xml")
        .replace("npm run --silent status || true", "npm run status --json || true"),
    );
    const problems = npmRunProblems(runsOf(githubShell(broken)), packageScripts);
    expect(problems).toEqual([
      expect.stringContaining('package.json has no script "smoek"'),
      expect.stringContaining("'--junti'"),
      expect.stringContaining("--json before `--` goes to npm"),
    ]);
  });

  it("reads a command's words the way the shell hands them over", () => {
    expect(npmRuns(`timeout 10s npm run --silent logs -- "$service" 2>&1 | tail -n 5 || true\n# npm run nothing`)).toEqual([
      { script: "logs", args: ["$service"], npmFlags: [], command: 'npm run --silent logs -- "$service"' },
    ]);
  });
});

describe("example CI files: reports and teardown", () => {
  it("GitHub: the JUnit files are under the uploaded path, uploaded always, into a directory made beforehand", () => {
    const junit = junitPaths(runsOf(githubShell(github)));
    expect(junit).toEqual(["reports/smoke.xml", "reports/synthetics.xml"]);
    const upload = githubSteps.find((step) => step.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("always()");
    const uploaded = String(upload?.with?.path).split("\n").map((path) => path.trim()).filter(Boolean);
    for (const file of junit) expect(uploaded.some((path) => file === path || file.startsWith(path.endsWith("/") ? path : `${path}/`))).toBe(true);

    const firstJunit = githubSteps.findIndex((step) => step.run?.includes("--junit"));
    const mkdir = githubSteps.findIndex((step) => step.run?.includes(`mkdir -p ${dirname(junit[0]!)}`));
    expect(mkdir).toBeGreaterThanOrEqual(0);
    expect(mkdir).toBeLessThan(firstJunit);
  });

  it("GitLab: the JUnit files are the job's junit reports, kept also when the job fails", () => {
    for (const job of gitlabJobs) {
      const junit = junitPaths(runsOf(job.script));
      expect(junit.length).toBeGreaterThan(0);
      expect(new Set([job.artifacts?.reports?.junit].flat())).toEqual(new Set(junit));
      expect(job.artifacts?.when).toBe("always");
    }
  });

  it("GitHub: down runs always, last; diagnostics run on failure only", () => {
    const down = githubSteps.filter(invokes("down"));
    expect(down).toHaveLength(1);
    expect(down[0]!.if).toBe("always()");
    expect(githubSteps.at(-1)).toBe(down[0]);
    const diagnostics = githubSteps.filter((step) => invokes("status")(step) || invokes("logs")(step));
    expect(diagnostics.map((step) => step.if)).toEqual(["failure()"]);
  });

  it("GitLab: down runs in after_script (whatever the job's outcome), never in script", () => {
    for (const job of gitlabJobs) {
      expect(runsOf(job.script).map((run) => run.script)).not.toContain("down");
      expect(runsOf(job.after_script ?? []).at(-1)?.script).toBe("down");
    }
  });

  it("GitHub: actions are pinned, the job is bounded in time, runs are grouped, steps use bash -eo pipefail", () => {
    for (const step of githubSteps.filter((step) => step.uses)) expect(step.uses).toMatch(/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
    for (const job of Object.values(github.jobs)) expect(job["timeout-minutes"]).toBeGreaterThan(0);
    expect(github.concurrency?.group).toContain("${{ github.ref }}");
    expect(github.defaults?.run?.shell).toBe("bash");
    expect(Object.keys(github.on).sort()).toEqual(["pull_request", "push"]);
  });
});

/** Runs the real `status` command against a scripted engine and captures what the CLI would print. */
async function realStatus(argv: string[]): Promise<Replay> {
  const printed: string[] = [];
  const out = { info: () => undefined, warn: () => undefined, result: (message: string) => printed.push(`${message}\n`) };
  try {
    await status(parseCommandArgs(statusCommand, argv, {}), out);
    return { stdout: printed.join(""), stderr: "", exitCode: 0 };
  } catch (error) {
    if (!(error instanceof StackError)) throw error;
    // cli.ts turns a StackError into "error [CODE]: …" on stderr and exit code 1.
    return { stdout: printed.join(""), stderr: `error [${error.code}]: ${error.message}\n`, exitCode: 1 };
  }
}

const container = (service: string, state: string, health: ContainerState["health"]): ContainerState => ({
  id: `id-${service}`,
  name: `ci-${service}-1`,
  service,
  state,
  health,
  status: state === "running" ? `Up 3 minutes${health === "none" ? "" : ` (${health})`}` : "Exited (1) 10 seconds ago",
  createdAt: new Date(0),
  publishedPorts: [],
});

describe("example CI files: diagnostics on a real `status --json` document", () => {
  let unwell: string[];
  let config: string[];
  const replays: Record<string, Replay> = {};

  beforeAll(async () => {
    const dir = tempProject({ "stack.config.mjs": 'export default { project: { name: "ci" } };\n' });
    config = ["--config", join(dir, "stack.config.mjs"), "--out", join(dir, ".stack")];
    // With no containers, status lists every service the stack expects (all missing).
    engine.containers = [];
    const expected = (JSON.parse((await realStatus([...config, "--json"])).stdout) as { services: Array<{ service: string }> }).services.map((s) => s.service);
    expect(expected.length).toBeGreaterThan(4);
    const [unhealthy, exited, missing, ...healthy] = expected as [string, string, string, ...string[]];
    unwell = [unhealthy, exited, missing];
    engine.containers = [
      container(unhealthy, "running", "unhealthy"),
      container(exited, "exited", "none"),
      ...healthy.map((service) => container(service, "running", "healthy")),
    ];
    // A hung engine: logs never returns until the timeout stops it.
    replays[`logs ${unhealthy} --no-follow --tail 100`] = { stdout: `last lines of ${unhealthy}\n`, stderr: "", exitCode: 0, follow: true };
    replays["status"] = await realStatus(config);
    replays["status --json"] = await realStatus([...config, "--json"]);
    expect(replays["status --json"]!.exitCode).toBe(1);
  });

  /** The snippet with its logs timeout cut to 3s (time enough for npm to start under load), not thirty. */
  const quick = (shell: string) => {
    expect(shell.match(/timeout \d+s /g)).toHaveLength(1);
    return shell.replace(/timeout \d+s /, "timeout 3s ");
  };
  const logsCalls = (calls: Array<{ script: string; args: string[] }>) => calls.filter((call) => call.script === "logs").map((call) => call.args);

  it("GitHub: prints the status table and the logs of exactly the unwell services, and the step itself succeeds", () => {
    const diagnostics = githubSteps.find((step) => step.if === "failure()" && step.run)!;
    const standIn = standInProject(Object.keys(packageScripts), replays);
    const result = standIn.run(quick(diagnostics.run!));
    expect(result.stderr).not.toMatch(/SyntaxError|command not found/);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(replays["status"]!.stdout.split("\n")[0]);
    expect(logsCalls(standIn.calls())).toEqual(unwell.map((service) => [service, "--no-follow", "--tail", "100"]));
    for (const service of unwell) expect(result.stdout).toContain(`::group::last logs of ${service}`);
    expect(result.stdout).toContain(`last lines of ${unwell[0]}`);
  });

  describe("GitLab after_script", () => {
    const afterScript = (job: GitlabJob) => quick((job.after_script ?? []).join("\n"));

    it("after a failed job: status, logs of exactly the unwell services, then down with its data", () => {
      const standIn = standInProject(Object.keys(packageScripts), replays);
      const result = standIn.run(afterScript(gitlabJobs[0]!), { CI_JOB_STATUS: "failed" });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(replays["status"]!.stdout.split("\n")[0]);
      const calls = standIn.calls();
      expect(logsCalls(calls)).toEqual(unwell.map((service) => [service, "--no-follow", "--tail", "100"]));
      expect(calls.at(-1)).toEqual({ script: "down", args: ["--volumes", "--yes"] });
      expect(cliOptions("down", calls.at(-1)!.args)).toMatchObject({ volumes: true, yes: true });
    });

    it("after a successful job: only down", () => {
      const standIn = standInProject(Object.keys(packageScripts), replays);
      expect(standIn.run(afterScript(gitlabJobs[0]!), { CI_JOB_STATUS: "success" }).status).toBe(0);
      expect(standIn.calls().map((call) => call.script)).toEqual(["down"]);
    });

    it("when status prints no JSON at all (the engine is gone), down still runs", async () => {
      engine.reachable = false;
      const noEngine = await realStatus([...config, "--json"]).finally(() => (engine.reachable = true));
      expect(noEngine).toMatchObject({ stdout: "", exitCode: 1 });
      const standIn = standInProject(Object.keys(packageScripts), { ...replays, "status --json": noEngine });
      expect(standIn.run(afterScript(gitlabJobs[0]!), { CI_JOB_STATUS: "failed" }).status).toBe(0);
      expect(standIn.calls().map((call) => call.script)).toEqual(["status", "status", "down"]);
    });
  });
});

describe("example CI files: the GitLab job script, run through bash and npm", () => {
  const job = () => gitlabJobs[0]!;
  const runScript = (replaysFor: Record<string, Replay>) => {
    const standIn = standInProject(Object.keys(packageScripts), replaysFor);
    // The job's own variables, expanded as the runner would for the one they use.
    const variables = Object.entries(job().variables ?? {}).map(([name, value]) => [name, value.replaceAll("$CI_PROJECT_DIR", standIn.dir)]);
    const result = standIn.run(job().script.join("\n"), { CI_PROJECT_DIR: standIn.dir, ...Object.fromEntries(variables) });
    const reports = existsSync(join(standIn.dir, "reports")) ? readdirSync(join(standIn.dir, "reports")).sort() : [];
    return { result, scripts: standIn.calls().map((call) => call.script), reports };
  };
  const failing: Replay = { stdout: "", stderr: "error: failed\n", exitCode: 1 };

  it("runs synthetics even when smoke failed, and still fails the job", () => {
    const { result, scripts } = runScript({ "smoke --junit reports/smoke.xml": failing });
    expect(scripts).toEqual(["up", "smoke", "synthetics"]);
    expect(result.status, result.stderr).toBe(1);
  });

  it("stops after a failed up, and passes when everything passes", () => {
    const stopped = runScript({ up: failing });
    expect(stopped.scripts).toEqual(["up"]);
    expect(stopped.result.status).not.toBe(0);
    const passed = runScript({});
    expect(passed.scripts).toEqual(["up", "smoke", "synthetics"]);
    expect(passed.result.status, passed.result.stderr).toBe(0);
    expect(passed.reports).toEqual(["smoke.xml", "synthetics.xml"]);
  });
});
