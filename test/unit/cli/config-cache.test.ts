/**
 * The bundled CLI's compiled configs (scripts/stack/config-cache.mjs): reused while nothing they
 * were built from changed, rebuilt otherwise, and run by Node exactly as the config would run under
 * tsx. Each compiled module is imported by a plain `node` process, as the CLI imports it. The last
 * block runs the CLI itself (the launcher, which uses the cache) against the sources through tsx.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { compiledConfig } from "../../../scripts/stack/config-cache.mjs";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { runCli } from "../../helpers/run-cli.ts";
import { tempProject } from "../../helpers/temp-project.ts";

let cacheRoot: string;
beforeEach(() => {
  cacheRoot = mkdtempSync(join(tmpdir(), "obs-stack-config-cache-"));
});
afterEach(() => rmSync(cacheRoot, { recursive: true, force: true }));

/** Every build folder under the cache root, so a test can tell a reuse from a rebuild. */
const builds = () => readdirSync(cacheRoot, { recursive: true, withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name.startsWith("build-")).length;

async function compile(file: string): Promise<string> {
  const entry = await compiledConfig(file, cacheRoot);
  if (entry === undefined) throw new Error(`${file} was not compiled`);
  return entry;
}

/** The default export of a module as plain Node imports it, through JSON. */
function defaultOf(entry: string): unknown {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", "const m = await import(process.argv[1]); process.stdout.write(JSON.stringify(m.default));", pathToFileURL(entry).href], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

/** Rewrites a file, keeping its size and putting its times back: only its ctime tells. */
function editInPlace(file: string, from: string, to: string): void {
  expect(to).toHaveLength(from.length);
  const { atime, mtime } = statSync(file);
  writeFileSync(file, readFileSync(file, "utf8").replace(from, to));
  utimesSync(file, atime, mtime);
}

describe("the compiled config", () => {
  it("keeps each file's import.meta and relative imports, and is reused while nothing changes", async () => {
    const dir = tempProject({
      "stack.config.ts": 'import { part } from "./parts/part.ts";\nconst name: string = "whole";\nexport default { name, url: import.meta.url, dir: import.meta.dirname, part };\n',
      "parts/part.ts": 'import { readFileSync } from "node:fs";\nexport const part = { file: import.meta.filename, beside: readFileSync(new URL("./data.txt", import.meta.url), "utf8") };\n',
      "parts/data.txt": "read at run time",
    });
    const config = join(dir, "stack.config.ts");
    const entry = await compile(config);
    expect(defaultOf(entry)).toEqual({ name: "whole", url: pathToFileURL(config).href, dir, part: { file: join(dir, "parts", "part.ts"), beside: "read at run time" } });
    expect(await compile(config)).toBe(entry);
    expect(builds()).toBe(1);
    // What the config reads when it runs is read anew at every run: it is not an input of the build.
    writeFileSync(join(dir, "parts", "data.txt"), "changed");
    expect(await compile(config)).toBe(entry);
    expect(defaultOf(entry)).toMatchObject({ part: { beside: "changed" } });
  });

  it("is rebuilt when the config changes, even in place with the same size and mtime", async () => {
    const dir = tempProject({ "stack.config.ts": 'export default { name: "one" };\n' });
    const config = join(dir, "stack.config.ts");
    const first = await compile(config);
    editInPlace(config, '"one"', '"two"');
    const second = await compile(config);
    expect(second).not.toBe(first);
    expect(defaultOf(second)).toEqual({ name: "two" });
  });

  it("is rebuilt when a file the config imports changes", async () => {
    const dir = tempProject({ "stack.config.ts": 'import { name } from "./name.ts";\nexport default { name };\n', "name.ts": 'export const name = "one";\n' });
    const config = join(dir, "stack.config.ts");
    const first = await compile(config);
    editInPlace(join(dir, "name.ts"), '"one"', '"two"');
    expect(defaultOf(await compile(config))).toEqual({ name: "two" });
    expect(await compile(config)).not.toBe(first);
  });

  it("is rebuilt, to the same module, when a file is written again unchanged", async () => {
    const dir = tempProject({ "stack.config.ts": 'export default { name: "same" };\n' });
    const config = join(dir, "stack.config.ts");
    const first = await compile(config);
    // The same bytes and a new mtime: the stamps cannot tell it from an edit, so it is rebuilt.
    writeFileSync(config, readFileSync(config));
    const later = new Date(statSync(config).mtimeMs + 5000);
    utimesSync(config, later, later);
    const second = await compile(config);
    expect(second).not.toBe(first);
    expect(readFileSync(second, "utf8")).toBe(readFileSync(first, "utf8"));
    expect(defaultOf(second)).toEqual({ name: "same" });
  });

  it("is rebuilt when a package.json above a compiled file appears", async () => {
    const dir = tempProject({ "stack.config.ts": 'import { name } from "./sub/name.ts";\nexport default { name };\n', "sub/name.ts": 'export const name = "sub";\n' });
    const config = join(dir, "stack.config.ts");
    const first = await compile(config);
    writeFileSync(join(dir, "sub", "package.json"), '{ "type": "module" }\n');
    expect(await compile(config)).not.toBe(first);
  });

  it("gives nothing for a config that does not compile: tsx reports it", async () => {
    const dir = tempProject({ "stack.config.ts": "export default {\n  project: { name: 'x' },,\n};\n" });
    expect(await compiledConfig(join(dir, "stack.config.ts"), cacheRoot)).toBeUndefined();
  });

  it("gives nothing, without building again, for a config whose import.meta a bundle cannot reproduce", async () => {
    const dir = tempProject({ "stack.config.ts": 'export default { peer: import.meta.resolve("./peer.ts") };\n', "peer.ts": "export {};\n" });
    const config = join(dir, "stack.config.ts");
    expect(await compiledConfig(config, cacheRoot)).toBeUndefined();
    expect(await compiledConfig(config, cacheRoot)).toBeUndefined();
    expect(builds()).toBe(1);
  });

  it("compiles a config whose comments mention import.meta.resolve and import()", async () => {
    const dir = tempProject({ "stack.config.ts": '/** Not import.meta.resolve("./x"), nor import(name): */\nexport default {\n  // import.meta.resolve, import(x)\n  name: "commented",\n};\n' });
    expect(defaultOf(await compile(join(dir, "stack.config.ts")))).toEqual({ name: "commented" });
  });

  it("compiles a config outside an ES-module package to the same default export", async () => {
    const dir = tempProject({ "stack.config.ts": 'const name: string = "cjs";\nexport default { name };\n' });
    rmSync(join(dir, "package.json"));
    expect(defaultOf(await compile(join(dir, "stack.config.ts")))).toEqual({ name: "cjs" });
  });

  it("leaves JavaScript packages to Node, loaded from their own place, and compiles TypeScript ones", async () => {
    const dir = tempProject({
      "stack.config.ts": 'import { defineStack } from "obs-stack";\nimport { where } from "plain-js";\nexport default defineStack({ project: { name: where } } as never);\n',
      "node_modules/plain-js/package.json": '{ "name": "plain-js", "type": "module", "main": "index.js" }\n',
      "node_modules/plain-js/index.js": "export const where = import.meta.url;\n",
    });
    symlinkSync(REPO_ROOT, join(dir, "node_modules", "obs-stack"));
    const entry = await compile(join(dir, "stack.config.ts"));
    const plain = pathToFileURL(join(dir, "node_modules", "plain-js", "index.js")).href;
    expect(readFileSync(entry, "utf8")).toContain(`from ${JSON.stringify(plain)}`);
    expect(defaultOf(entry)).toEqual({ project: { name: plain } });
  });

  it("removes the cache of a config that is gone when another is built", async () => {
    const gone = tempProject({ "stack.config.ts": "export default {};\n" });
    const kept = tempProject({ "stack.config.ts": "export default {};\n" });
    await compile(join(gone, "stack.config.ts"));
    const keptEntry = await compile(join(kept, "stack.config.ts"));
    rmSync(gone, { recursive: true, force: true });
    await compile(join(tempProject({ "stack.config.ts": "export default {};\n" }), "stack.config.ts"));
    expect(readdirSync(cacheRoot)).toHaveLength(2);
    expect(statSync(keptEntry).isFile()).toBe(true);
  });
});

/** The sources through tsx, as the npm scripts ran them before the launcher. */
function runSources(cwd: string, args: string[]) {
  const run = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(REPO_ROOT, "scripts", "stack", "cli.ts"), ...args], { cwd, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("the CLI with compiled configs, against the sources through tsx", () => {
  const validate = (dir: string) => ["validate", "--config", join(dir, "stack.config.ts")];

  it.each([
    ["a syntax error", { "stack.config.ts": "export default {\n  project: { name: 'x' },,\n};\n" }, /stack\.config\.ts:2: the config file could not be loaded: /],
    ["a syntax error in a file the config imports", { "stack.config.ts": 'import "./other.ts";\nexport default {};\n', "other.ts": "\n\nconst = 1;\n" }, /could not be loaded: /],
    ["a throw while the config runs", { "stack.config.ts": "const port = Number('x');\nif (Number.isNaN(port)) throw new Error('PORT must be a number');\nexport default {};\n" }, /stack\.config\.ts:2: the config file could not be loaded: PORT must be a number/],
    ["a getter that throws", { "stack.config.ts": "export default {\n  project: {\n    get name() { throw new Error('boom'); },\n  },\n};\n" }, /stack\.config\.ts:3: reading project\.name from the config threw: boom/],
    ["no default export", { "stack.config.ts": "export const config = {};\n" }, /has no default export/],
  ])("%s: the same error", (_, files, message) => {
    const dir = tempProject(files);
    const [bundled, sources] = [runCli(dir, validate(dir)), runSources(dir, validate(dir))];
    expect(bundled.status).toBe(1);
    expect(bundled.stderr).toMatch(message);
    expect(bundled).toEqual(sources);
  });

  it("a CommonJS config that reads __dirname, which the compiled module cannot give, runs through tsx", () => {
    const dir = tempProject({ "stack.config.ts": 'module.exports = { project: { name: __dirname.length > 0 ? "cjs-dirname" : "none" } };\n' });
    rmSync(join(dir, "package.json"));
    const args = ["generate", "--out", join(dir, "out")];
    const bundled = runCli(dir, args);
    expect(bundled.stderr).toBe("");
    expect(bundled.status).toBe(0);
    expect(readFileSync(join(dir, "out", "compose.yaml"), "utf8")).toContain('name: "cjs-dirname"');
  });

  it("a config split over files, reading a file beside one by import.meta.url, gives the same files", () => {
    // Looked up, not just read: a wrong import.meta.url would not fail (and be run again through tsx) but give another name.
    const dir = tempProject({
      "stack.config.ts": 'import { project } from "./parts/project.ts";\nexport default { project };\n',
      "parts/project.ts": 'import { existsSync, readFileSync } from "node:fs";\nconst file = new URL("./name.txt", import.meta.url);\nexport const project = { name: existsSync(file) ? readFileSync(file, "utf8").trim() : "not-found" };\n',
      "parts/name.txt": "split-config\n",
    });
    mkdirSync(join(dir, "out"));
    const [bundled, sources] = [runCli(dir, ["generate", "--out", join(dir, "out", "a")]), runSources(dir, ["generate", "--out", join(dir, "out", "b")])];
    expect(bundled.stderr).toBe("");
    expect(bundled.status).toBe(0);
    expect(sources.status).toBe(0);
    const compose = (name: string) => readFileSync(join(dir, "out", name, "compose.yaml"), "utf8");
    expect(compose("a")).toContain('name: "split-config"');
    expect(compose("a")).toBe(compose("b").replaceAll(join(dir, "out", "b"), join(dir, "out", "a")));
  });
});
