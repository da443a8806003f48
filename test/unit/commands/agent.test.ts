/**
 * `npm run agent` up to the engine: which host, which token, what it says when one is missing. The
 * agent's start itself (its engine, its Compose project) is proven by test/e2e/agents.test.ts.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/run-cli.ts";
import { tempProject } from "../../helpers/temp-project.ts";

const CONFIG = `export default {
  components: { proxy: { enabled: true, hostname: "obs.example.com" } },
  hosts: [{ name: "web-1" }, { name: "db-1" }],
};
`;
/** No engine: whatever gets past the token must stop at preflight, not reach one by accident. */
const NO_ENGINE = { DOCKER_HOST: "unix:///nonexistent/docker.sock", OBS_AGENT_TOKEN: "" };

describe("npm run agent", () => {
  it("needs --host, and names the declared hosts for a wrong one", () => {
    const dir = tempProject({ "stack.config.ts": CONFIG });
    const missing = runCli(dir, ["agent"], NO_ENGINE);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("--host is required");
    const wrong = runCli(dir, ["agent", "--host", "web1"], NO_ENGINE);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('host "web1" is not in config.hosts; did you mean "web-1"? (hosts: web-1, db-1)');
  });

  it("--print-token prints the host's token from the central .env, and only when asked", () => {
    const dir = tempProject({ "stack.config.ts": CONFIG, ".env": "AGENT_TOKEN_WEB_1=tok-web\nAGENT_TOKEN_DB_1=tok-db\n" });
    const printed = runCli(dir, ["agent", "--host", "db-1", "--print-token"], NO_ENGINE);
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toBe("tok-db\n");
    const none = runCli(tempProject({ "stack.config.ts": CONFIG }), ["agent", "--host", "db-1", "--print-token"], NO_ENGINE);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("AGENT_TOKEN_DB_1 is not in");
    expect(none.stderr).toContain("npm run up");
  });

  it("without a token it says how to get one and writes nothing", () => {
    const dir = tempProject({ "stack.config.ts": CONFIG });
    const run = runCli(dir, ["agent", "--host", "web-1"], NO_ENGINE);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("no token for host web-1");
    expect(run.stderr).toContain("npm run agent -- --host web-1 --print-token");
    expect(existsSync(join(dir, ".stack-agent"))).toBe(false);
  });

  it("a token that is no bearer token is refused before anything is written", () => {
    const dir = tempProject({ "stack.config.ts": CONFIG });
    const run = runCli(dir, ["agent", "--host", "web-1"], { ...NO_ENGINE, OBS_AGENT_TOKEN: "two\nlines" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("characters a bearer token cannot have");
    expect(existsSync(join(dir, ".stack-agent"))).toBe(false);
  });

  it("with a token it writes the agent's bundle and keeps the token in its own private .env, then stops at preflight without an engine", () => {
    const dir = tempProject({ "stack.config.ts": CONFIG });
    const run = runCli(dir, ["agent", "--host", "web-1"], { ...NO_ENGINE, OBS_AGENT_TOKEN: "tok-web" });
    expect(run.stderr).toContain("the Docker engine is not reachable");
    expect(run.status).toBe(1);
    expect(readFileSync(join(dir, ".stack-agent", "otelcol", "config.yaml"), "utf8")).toContain('endpoint: "https://obs.example.com:8443/agents/web-1"');
    const env = join(dir, ".stack-agent", ".env");
    expect(readFileSync(env, "utf8")).toContain("OBS_AGENT_TOKEN=tok-web\n");
    expect(statSync(env).mode & 0o777).toBe(0o600);
    // The central .env is untouched: this host has its own token only.
    expect(existsSync(join(dir, ".env"))).toBe(false);
    // The next run, without the variable, finds it there.
    const again = runCli(dir, ["agent", "--host", "web-1"], NO_ENGINE);
    expect(again.stderr).not.toContain("no token");
    expect(again.stderr).toContain("the Docker engine is not reachable");
  });

  it("--down where no agent was started says so", () => {
    const dir = tempProject({ "stack.config.ts": CONFIG });
    const run = runCli(dir, ["agent", "--host", "web-1", "--down"], NO_ENGINE);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("no agent bundle in");
  });
});
