/**
 * The launcher the npm scripts run (scripts/stack/launch.mjs): the CLI from its cached bundle,
 * rebuilt when a source changed, and the same CLI as the sources run through tsx. Edits happen in
 * a copy of the CLI's sources in a temp dir, with its own node_modules/.cache, so the checkout's
 * bundle is left alone.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { runCli } from "../../helpers/run-cli.ts";
import { tempProject } from "../../helpers/temp-project.ts";

/** The CLI's sources in a temp dir, its node_modules a folder of links to the checkout's packages. */
function copyOfCli(): string {
  const root = mkdtempSync(join(tmpdir(), "obs-stack-launcher-"));
  // What the CLI's code imports: its own folder, the dashboards, the demo's and k6's shared modules.
  for (const path of ["scripts/stack", "dashboards", "demo/src", "k6", "package.json", "tsconfig.json"]) cpSync(join(REPO_ROOT, path), join(root, path), { recursive: true });
  mkdirSync(join(root, "node_modules"));
  for (const entry of readdirSync(join(REPO_ROOT, "node_modules"))) {
    if (entry !== ".cache") symlinkSync(join(REPO_ROOT, "node_modules", entry), join(root, "node_modules", entry));
  }
  return root;
}

const launcherOf = (root: string) => join(root, "scripts", "stack", "launch.mjs");
const cacheOf = (root: string) => join(root, "node_modules", ".cache", "obs-stack");
const builds = (root: string) => readdirSync(cacheOf(root)).filter((name) => name.startsWith("build-")).sort();
const manifestEntry = (root: string) => (JSON.parse(readFileSync(join(cacheOf(root), "manifest.json"), "utf8")) as { entry: string }).entry;

/** The sources through tsx, as the npm scripts ran them before the launcher. */
function runSources(cwd: string, args: string[]) {
  const run = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(REPO_ROOT, "scripts", "stack", "cli.ts"), ...args], { cwd, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Replaces `from` by `to` in a copied source, keeping the size when both are as long. */
function edit(root: string, file: string, from: string, to: string): string {
  const path = join(root, "scripts", "stack", file);
  const text = readFileSync(path, "utf8");
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
  return path;
}

describe("the launcher's bundle", () => {
  let root: string;
  beforeAll(() => {
    root = copyOfCli();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("is built on first use, then reused while no source changes", () => {
    const first = runCli(root, ["--help"], {}, launcherOf(root));
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^usage: npm run <command>/);
    const built = builds(root);
    expect(built).toHaveLength(1);
    expect(manifestEntry(root)).toBe(join(built[0]!, "cli.mjs"));
    // One chunk per command: `up` loads no other command's code.
    expect(readdirSync(join(cacheOf(root), built[0]!, "chunks")).filter((name) => /^(up|backup|validate)-\w+\.mjs$/.test(name))).toHaveLength(3);

    const again = runCli(root, ["--help"], {}, launcherOf(root));
    expect(again.stdout).toBe(first.stdout);
    expect(builds(root)).toEqual(built);
  });

  it("is rebuilt when a source changes, and the next command runs the new code", () => {
    const before = builds(root);
    edit(root, "help.ts", "usage: npm run <command>", "usage: npm run <COMMAND>");
    const run = runCli(root, ["--help"], {}, launcherOf(root));
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^usage: npm run <COMMAND>/);
    expect(builds(root)).not.toEqual(before);
  });

  it("is rebuilt even when an edit keeps the file's size and puts its mtime back", () => {
    // A whole second, which utimes sets exactly, as `cp -p`, tar and rsync do.
    const help = join(root, "scripts", "stack", "help.ts");
    const stamp = new Date("2026-01-01T00:00:00Z");
    utimesSync(help, stamp, stamp);
    expect(runCli(root, ["--help"], {}, launcherOf(root)).stdout).toMatch(/^usage: npm run <COMMAND>/);
    edit(root, "help.ts", "usage: npm run <COMMAND>", "usage: npm run <CMDLINE>");
    utimesSync(help, stamp, stamp);
    expect(statSync(help).mtimeMs).toBe(stamp.getTime());
    expect(runCli(root, ["--help"], {}, launcherOf(root)).stdout).toMatch(/^usage: npm run <CMDLINE>/);
  });

  it("is rebuilt, not run, when one of its own files is gone", () => {
    const current = manifestEntry(root);
    rmSync(join(cacheOf(root), current));
    const run = runCli(root, ["--help"], {}, launcherOf(root));
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^usage: npm run <CMDLINE>/);
    expect(manifestEntry(root)).not.toBe(current);
  });

  it("falls back to the sources through tsx, saying so on one line, when it cannot be built", () => {
    const readOnly = copyOfCli();
    try {
      // The cache folder cannot be made: esbuild fails to write the bundle.
      writeFileSync(join(readOnly, "node_modules", ".cache"), "");
      const run = runCli(readOnly, ["--help"], {}, launcherOf(readOnly));
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^usage: npm run <command>/);
      expect(run.stderr).toMatch(/^obs-stack: the CLI bundle could not be built \(.+\); running the sources through tsx \(slower start\)\n$/);
      const refused = runCli(readOnly, ["nosuch"], {}, launcherOf(readOnly));
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('error [USAGE]: no command "nosuch"');
    } finally {
      rmSync(readOnly, { recursive: true, force: true });
    }
  });
});

describe("the launcher against the sources through tsx", () => {
  it.each([
    ["an unknown command", ["nosuch"]],
    ["a flag the command does not take", ["generate", "--nosuch"]],
    ["a config that is not there", ["generate", "--config", "missing.config.ts"]],
  ])("%s: the same exit code and error output", (_, args) => {
    const dir = tempProject({});
    const [bundled, sources] = [runCli(dir, args), runSources(dir, args)];
    expect(bundled.status).toBe(1);
    expect(bundled).toEqual(sources);
  });

  it("a config outside an ES-module package (CommonJS to Node) gives the same model", () => {
    const dir = tempProject({ "stack.config.ts": 'export default { project: { name: "plain-cjs" } };\n' });
    rmSync(join(dir, "package.json"));
    const args = ["generate", "--out", join(dir, "out")];
    const [bundled, sources] = [runCli(dir, args), runSources(dir, args)];
    expect(bundled.stderr).toBe("");
    expect(bundled.status).toBe(0);
    expect(sources.status).toBe(0);
    expect(readFileSync(join(dir, "out", "compose.yaml"), "utf8")).toContain('name: "plain-cjs"');
  });

  it("a config with TypeScript syntax that imports obs-stack and the CLI's modules generates the same files", () => {
    // As a user's project has it: obs-stack in node_modules, a config with types importing it and one of its modules.
    const catalog = join(REPO_ROOT, "scripts", "stack", "catalog", "components.ts");
    const dir = tempProject({
      "stack.config.ts": [
        'import { defineStack } from "obs-stack";',
        `import { COMPONENT_NAMES } from ${JSON.stringify(catalog)};`,
        "const components: readonly string[] = COMPONENT_NAMES;",
        'export default defineStack({ project: { name: `launcher-${components.includes("prometheus") ? "ts" : "x"}` } });',
        "",
      ].join("\n"),
    });
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(REPO_ROOT, join(dir, "node_modules", "obs-stack"));
    const config = join(dir, "stack.config.ts");
    // The first generate writes .env beside the config; both compared runs find it there.
    expect(runCli(dir, ["generate", "--config", config, "--out", join(dir, "first")]).status).toBe(0);
    const outputs = [join(dir, "bundled"), join(dir, "sources")];
    const bundled = runCli(dir, ["generate", "--config", config, "--out", outputs[0]!]);
    const sources = runSources(dir, ["generate", "--config", config, "--out", outputs[1]!]);
    expect(bundled.status).toBe(0);
    expect(bundled.stderr).toBe(sources.stderr.replaceAll(outputs[1]!, outputs[0]!));
    expect(bundled.stdout).toBe(sources.stdout.replaceAll(outputs[1]!, outputs[0]!));
    const files = (out: string) =>
      readdirSync(out, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
        .sort()
        .map((file) => [file.slice(out.length), readFileSync(file, "utf8")]);
    expect(files(outputs[0]!).length).toBeGreaterThan(10);
    expect(readFileSync(join(outputs[0]!, "compose.yaml"), "utf8")).toContain('name: "launcher-ts"');
    expect(files(outputs[0]!)).toEqual(files(outputs[1]!));
  });
});
