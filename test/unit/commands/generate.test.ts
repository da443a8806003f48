import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { runCli } from "../../helpers/run-cli.ts";
import { tempProject } from "../../helpers/temp-project.ts";

const TSX = join(REPO_ROOT, "node_modules", ".bin", "tsx");
const CLI = join(REPO_ROOT, "scripts", "stack", "cli.ts");
const config = (body: string) => ({ "stack.config.ts": `export default ${body};\n` });

describe("npm run generate", () => {
  it("writes the bundle, creates a private .env with a generated Grafana password, and is idempotent", () => {
    const dir = tempProject(config("{}"));
    const first = runCli(dir, ["generate"]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(existsSync(join(dir, ".stack", "compose.yaml"))).toBe(true);

    const envFile = join(dir, ".env");
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const password = /GRAFANA_ADMIN_PASSWORD=(\S+)/.exec(readFileSync(envFile, "utf8"))?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(32);

    const composeMtime = statSync(join(dir, ".stack", "compose.yaml")).mtimeMs;
    const second = runCli(dir, ["generate"]);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/0 written, \d+ unchanged, 0 removed/);
    expect(statSync(join(dir, ".stack", "compose.yaml")).mtimeMs).toBe(composeMtime);
    expect(readFileSync(envFile, "utf8")).toContain(`GRAFANA_ADMIN_PASSWORD=${password}`);
  });

  it("keeps the user's .env lines and never replaces an existing password", () => {
    const dir = tempProject({ ...config("{}"), ".env": "SLACK_URL=https://hooks/x\nGRAFANA_ADMIN_PASSWORD=mine" });
    expect(runCli(dir, ["generate"]).status).toBe(0);
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe("SLACK_URL=https://hooks/x\nGRAFANA_ADMIN_PASSWORD=mine");
    expect(statSync(join(dir, ".env")).mode & 0o777).toBe(0o600);
  });

  it("removes files it generated before that are no longer part of the bundle, and nothing else", () => {
    const dir = tempProject(config("{}"));
    expect(runCli(dir, ["generate"]).status).toBe(0);
    writeFileSync(join(dir, ".stack", "notes.txt"), "mine");
    writeFileSync(join(dir, "stack.config.ts"), "export default { components: { jaeger: { enabled: false } } };\n");
    const run = runCli(dir, ["generate"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/2 removed/);
    expect(existsSync(join(dir, ".stack", "jaeger", "config.yaml"))).toBe(false);
    expect(existsSync(join(dir, ".stack", "grafana", "dashboards", "traces.json"))).toBe(false);
    expect(readFileSync(join(dir, ".stack", "notes.txt"), "utf8")).toBe("mine");
  });

  it("a bad config exits 1, lists every problem with its path and hint, and writes nothing", () => {
    const dir = tempProject(config(`{ components: { grafana: { prot: 3000 } }, services: [{ name: "api", url: "nope" }], bogus: 1 }`));
    const run = runCli(dir, ["generate"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("3 problems found");
    expect(run.stderr).toContain("bogus: unknown key");
    expect(run.stderr).toContain("components.grafana.prot: unknown key\n      hint: did you mean \"port\"?");
    expect(run.stderr).toContain("services[0].url: must be an absolute http(s) URL");
    expect(existsSync(join(dir, ".stack"))).toBe(false);
    expect(existsSync(join(dir, ".env"))).toBe(false);
  });

  it("reports cross-field problems once every field is valid, and writes nothing", () => {
    const dir = tempProject(config(`{ components: { grafana: { port: 9090 } }, services: [{ name: "a", url: "http://a:1" }, { name: "a", url: "http://b:1" }] }`));
    const run = runCli(dir, ["generate"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("2 problems found");
    expect(run.stderr).toContain("components.grafana.port: host port 9090 is already used by components.prometheus.port");
    expect(run.stderr).toContain('services[1].name: duplicate service name "a" (also at index 0)');
    expect(existsSync(join(dir, ".stack"))).toBe(false);
  });

  it("warns about an unset secret variable but still generates", () => {
    const dir = tempProject(config(`{ alerting: { receivers: [{ name: "pd", pagerduty: { routingKeyEnv: "OBS_TEST_UNSET_PD_KEY" } }] } }`));
    const run = runCli(dir, ["generate"]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("warning: alerting.receivers[0].pagerduty.routingKeyEnv: environment variable OBS_TEST_UNSET_PD_KEY is not set");
  });

  it("a config with a syntax error exits 1 naming the file, line and cause", () => {
    const dir = tempProject({ "stack.config.ts": "export default {\n  project: { name: 'x' },,\n};\n" });
    const run = runCli(dir, ["generate"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`error [CONFIG_IMPORT_FAILED]: ${join(dir, "stack.config.ts")}:2: the config file could not be loaded: Expected identifier but found ","`);
    expect(existsSync(join(dir, ".stack"))).toBe(false);
  });

  it("refuses to write into a non-empty directory it did not generate", () => {
    const dir = tempProject({ ...config("{}"), "docs/readme.txt": "mine" });
    const run = runCli(dir, ["generate", "--out", "docs"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("is not empty and was not generated by obs-stack");
    expect(readFileSync(join(dir, "docs", "readme.txt"), "utf8")).toBe("mine");
  });

  it("never deletes outside the output directory, whatever the manifest says", () => {
    const dir = tempProject({ ...config("{}"), "precious.txt": "keep" });
    expect(runCli(dir, ["generate"]).status).toBe(0);
    writeFileSync(join(dir, ".stack", ".obs-stack-manifest.json"), JSON.stringify(["../precious.txt"]));
    expect(runCli(dir, ["generate"]).status).toBe(0);
    expect(readFileSync(join(dir, "precious.txt"), "utf8")).toBe("keep");
  });

  it("writes files readable by the containers' users even under a strict umask", () => {
    const dir = tempProject(config("{}"));
    const run = spawnSync("sh", ["-c", `umask 077 && ${JSON.stringify(TSX)} ${JSON.stringify(CLI)} generate`], { cwd: dir, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(statSync(join(dir, ".stack", "loki", "loki.yml")).mode & 0o777).toBe(0o644);
    expect(statSync(join(dir, ".stack", "loki")).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, ".env")).mode & 0o777).toBe(0o600);
  });

  it("logs and down still find the bundle when the config no longer loads", () => {
    const dir = tempProject(config("{}"));
    expect(runCli(dir, ["generate"]).status).toBe(0);
    writeFileSync(join(dir, "stack.config.ts"), "export default { bogus: true };\n");
    const run = runCli(dir, ["logs", "lokki"]);
    expect(run.stderr).toContain("the config does not load (bogus: unknown key");
    expect(run.stderr).toContain('no service "lokki" in this stack');
    expect(run.stderr).toContain('did you mean "loki"?');
    expect(run.status).toBe(1);
  });

  it("a config whose getter throws exits 1 naming the file and the cause, and writes nothing", () => {
    const dir = tempProject({ "stack.config.ts": 'export default { get services() { throw new Error("boom"); } };\n' });
    const run = runCli(dir, ["generate"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`error [CONFIG_IMPORT_FAILED]: ${join(dir, "stack.config.ts")}:1: reading services from the config threw: boom\n`);
    expect(run.stderr).not.toContain("internal error");
    expect(existsSync(join(dir, ".stack"))).toBe(false);
  });

  it("an empty --config or STACK_CONFIG is a usage error, not the default config", () => {
    const dir = tempProject(config("{}"));
    for (const [args, env, named] of [
      [["generate", "--config", ""], {}, "--config"],
      [["generate"], { STACK_CONFIG: "" }, "STACK_CONFIG"],
      [["generate", "--out", ""], {}, "--out"],
    ] as const) {
      const run = runCli(dir, [...args], env);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error \\[USAGE\\]: ${named} `));
    }
    expect(existsSync(join(dir, ".stack"))).toBe(false);
  });

  it("honours --config and --out", () => {
    const dir = tempProject({ "configs/prod.ts": "export default { project: { name: 'prod' } };\n" });
    const run = runCli(dir, ["generate", "--config", "configs/prod.ts", "--out", "build/stack"]);
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, "build", "stack", "compose.yaml"), "utf8")).toContain('name: "prod"');
  });
});
