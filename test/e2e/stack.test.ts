/**
 * Boots the real stack on the testbed's stand-in images and drives it like a user and a CI job:
 * up → status → smoke → a crashed component recovers → a stopped one makes smoke fail by name →
 * down/up keeps data → down --volumes. Run with `npm run test:e2e` (it builds the testbed first).
 */
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { docker } from "../../scripts/stack/runtime/docker.ts";
import { runCli, type CliRun } from "../helpers/run-cli.ts";
import { tempProject } from "../helpers/temp-project.ts";
import { loadStack } from "../../scripts/stack/config/load.ts";
import { dashboardQueries } from "../../scripts/stack/render/dashboards.ts";
import { dashboardVariables, runPanelQuery, type QueryResult } from "./dashboard-queries.ts";
import { e2eContainer, prometheusConfig, queryLokiCount, queryPrometheusAt, waitFor } from "./helpers.ts";

const CONFIG = join(REPO_ROOT, "test", "e2e", "stack.e2e.config.ts");
const OUT = join(REPO_ROOT, "test", "e2e", ".stack");
const OVERLAY = join(REPO_ROOT, "test", "e2e", ".testbed-images.json");
const SECRETS = { E2E_WEBHOOK_URL: "http://127.0.0.1:9/never-called" };
const cliWithEnv = (env: Record<string, string>, ...args: string[]): CliRun =>
  runCli(REPO_ROOT, [...args, "--config", CONFIG, "--out", OUT], { ...SECRETS, ...env });
const cli = (...args: string[]): CliRun => cliWithEnv({}, ...args);

interface SmokeReport {
  passed: boolean;
  checks: Array<{ name: string; status: string; message: string }>;
}
const smokeJson = (run: CliRun): SmokeReport => JSON.parse(run.stdout) as SmokeReport;

describe.runIf(existsSync(OVERLAY))("the stack on a real Docker engine", () => {
  const timings: Record<string, number> = {};
  const timed = <T>(name: string, action: () => T): T => {
    const started = Date.now();
    const result = action();
    timings[name] = (Date.now() - started) / 1000;
    return result;
  };

  beforeAll(() => {
    cli("down", "--volumes", "--yes");
  });
  afterAll(() => {
    cli("down", "--volumes", "--yes");
    process.stdout.write(`e2e timings (s): ${JSON.stringify(timings)}\n`);
  });

  it("components the testbed cannot build are reported, not hidden", () => {
    const overlay = JSON.parse(readFileSync(OVERLAY, "utf8")) as { disabled: Record<string, string>; substitutes: Record<string, string> };
    for (const [name, reason] of Object.entries(overlay.disabled)) process.stdout.write(`not booted: ${name}: ${reason}\n`);
    for (const [name, note] of Object.entries(overlay.substitutes)) process.stdout.write(`booted as a substitute: ${name}: ${note}\n`);
    expect(overlay.disabled).toEqual({});
  });

  it("up brings every service to healthy", () => {
    const run = timed("up (cold)", () => cli("up"));
    expect(run.stderr + run.stdout).not.toMatch(/^error:/m);
    expect(run.status).toBe(0);
  });

  it("a second up with no change does nothing and is fast", () => {
    const run = timed("up (no change)", () => cli("up"));
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/0 written/);
    expect(run.stdout).not.toMatch(/Recreate|restarted|reloaded/);
  });

  it("up refuses host ports that are taken, naming the container or process holding each", async () => {
    const listener = createServer().listen(19191, "127.0.0.1");
    await once(listener, "listening");
    try {
      const dir = tempProject({
        "clash.config.ts": `import e2e from ${JSON.stringify(CONFIG)};\nexport default { ...e2e, project: { name: "obs-e2e-clash" }, components: { ...e2e.components, pushgateway: { port: 19191 } } };\n`,
      });
      const run = runCli(dir, ["up", "--config", "clash.config.ts", "--out", join(dir, ".stack")], SECRETS);
      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).toMatch(/host port 127\.0\.0\.1:9090 \(components\.prometheus\.port\) is in use by container obs-e2e-prometheus-1 \(project obs-e2e\)/);
      expect(run.stdout + run.stderr).toMatch(/host port 127\.0\.0\.1:19191 \(components\.pushgateway\.port\) is in use by process node \(pid \d+\)/);
    } finally {
      listener.close();
    }
  });

  it("Alertmanager can read its secret file as its own non-root user", async () => {
    const alertmanager = await e2eContainer("alertmanager");
    const exec = await docker().getContainer(alertmanager.id).exec({ Cmd: ["cat", "/run/secrets/e2e_webhook_url"], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    const output = await new Promise<string>((resolve) => {
      let text = "";
      stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
      stream.on("end", () => resolve(text));
    });
    expect(output).toContain(SECRETS.E2E_WEBHOOK_URL);
    expect((await exec.inspect()).ExitCode).toBe(0);
  });

  it("a config change reloads Prometheus in place instead of restarting it, even after a separate generate", async () => {
    const before = await e2eContainer("prometheus");
    // `generate` first writes the new files; `up` must still notice they are not applied yet.
    expect(cliWithEnv({ E2E_SCRAPE_INTERVAL: "10s" }, "generate").status).toBe(0);
    const run = timed("up (config change)", () => cliWithEnv({ E2E_SCRAPE_INTERVAL: "10s" }, "up"));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("reloaded prometheus (its config changed)");
    // The scrape interval is also Grafana's datasource time interval: provisioning changed, so Grafana
    // restarts, and `up` returns only once it is healthy again.
    expect(run.stdout).toContain("restarted grafana (its config changed)");
    expect((await e2eContainer("grafana")).health).toBe("healthy");
    const after = await e2eContainer("prometheus");
    expect(after.id).toBe(before.id);
    expect(after.startedAt).toBe(before.startedAt);
    await waitFor("Prometheus to run the new scrape interval", 30, async () => (await prometheusConfig()).includes("scrape_interval: 10s"));
    expect(cli("up").status).toBe(0);
    await waitFor("Prometheus to run the original scrape interval", 30, async () => (await prometheusConfig()).includes("scrape_interval: 15s"));
  });

  it("status reports every service healthy, as a table and as JSON", () => {
    const run = cli("status", "--json");
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const services = (JSON.parse(run.stdout) as { services: Array<{ service: string; ok: boolean }> }).services;
    expect(services.length).toBeGreaterThan(5);
    expect(services.filter((s) => !s.ok)).toEqual([]);
  });

  it("smoke passes end to end and writes JUnit", () => {
    const junit = join(OUT, "smoke.xml");
    const run = timed("smoke", () => cli("smoke", "--json", "--junit", junit));
    const report = smokeJson(run);
    for (const check of report.checks) process.stdout.write(`smoke ${check.status}: ${check.name} — ${check.message}\n`);
    expect(report.checks.filter((check) => check.status === "fail")).toEqual([]);
    expect(run.status).toBe(0);
    expect(readFileSync(junit, "utf8")).toMatch(/<testsuite name="obs-stack smoke" tests="8" failures="0" skipped="0"/);
  });

  it("synthetics against the demo pass, write JUnit, and k6 results are queryable in Prometheus", async () => {
    const junit = join(OUT, "synthetics.xml");
    const run = timed("synthetics (demo)", () => cli("synthetics", "--service", "demo", "--json", "--junit", junit));
    const report = smokeJson(run);
    for (const check of report.checks) process.stdout.write(`synthetics ${check.status}: ${check.name} — ${check.message}\n`);
    expect(run.status, run.stderr).toBe(0);
    expect(report.checks.map((check) => check.name)).toEqual(["demo/live", "demo/ready", "demo/detailed", "demo/product", "demo/search"]);
    expect(readFileSync(junit, "utf8")).toMatch(/<testsuite name="obs-stack synthetics" tests="5" failures="0"/);
    const testId = /testid="([^"]+)"/.exec(run.stderr)?.[1];
    expect(testId, run.stderr).toBeDefined();
    await waitFor("k6 results in Prometheus", 60, async () => (await queryPrometheusAt(`k6_http_reqs_total{testid="${testId}", service="demo"}`, Date.now() / 1000)) > 0);
    expect(await queryPrometheusAt(`k6_http_req_duration_p95{testid="${testId}", synthetic="search"}`, Date.now() / 1000)).toBeGreaterThan(0);
  });

  it("synthetics against broken endpoints fail, naming each check and what was measured", () => {
    const run = timed("synthetics (broken)", () => cli("synthetics", "--service", "demo-broken", "--json"));
    expect(run.status).toBe(1);
    const failed = Object.fromEntries(smokeJson(run).checks.filter((check) => check.status === "fail").map((check) => [check.name, check.message]));
    expect(failed["demo-broken/wrong-status"]).toBe("status is 2xx failed 1 of 1");
    expect(failed["demo-broken/too-slow"]).toMatch(/^responds within 1000ms failed 1 of 1; threshold http_req_duration\{synthetic:too-slow\} max<1000 breached: measured max 3\.\d\ds$/);
    expect(failed["demo-broken/missing-text"]).toBe('json status == "ok" failed 1 of 1; body contains "healthy" failed 1 of 1');
    expect(run.stderr).toMatch(/error: 3 synthetic check\(s\) failed/);
  });

  it("no dead panels: every dashboard query runs, and every panel that should have data has it", async () => {
    const { model } = await loadStack({ config: CONFIG, cwd: REPO_ROOT, mode: "generate" });
    const queries = dashboardQueries(model);
    const panels = queries.filter((query) => query.kind === "panel");
    let results: QueryResult[] = [];
    // The demo's traffic, span metrics and rate windows need a minute or two to fill every panel.
    const deadline = Date.now() + 180_000;
    while (true) {
      const variables = await dashboardVariables(model, queries, "demo");
      results = await Promise.all(panels.map((panel) => runPanelQuery(panel, variables.get(panel.dashboard)!)));
      const dead = results.filter((r) => r.error || (r.expectsData === true && r.series === 0));
      if (dead.length === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
    const dashboards = new Set(panels.map((panel) => panel.dashboard));
    const empty = results.filter((r) => r.series === 0 && r.expectsData !== true);
    process.stdout.write(`no dead panels: ${dashboards.size} dashboards, ${results.length} panel queries, ${results.length - empty.length} with data\n`);
    for (const r of empty) process.stdout.write(`  empty by design: ${r.dashboard} / ${r.panel}: ${r.expectsData}\n`);
    expect(results.filter((r) => r.error).map((r) => `${r.dashboard} / ${r.panel}: ${r.error} (${r.query})`)).toEqual([]);
    expect(results.filter((r) => r.expectsData === true && r.series === 0).map((r) => `${r.dashboard} / ${r.panel}: ${r.query}`)).toEqual([]);
  });

  it("a blackbox probe alert fires for a stopped service and resolves when it comes back", async () => {
    const firing = async () => (await queryPrometheusAt('ALERTS{alertname="HealthProbeFailing", service="demo", alertstate="firing"}', Date.now() / 1000)) > 0;
    expect(await firing()).toBe(false);
    const demo = await e2eContainer("demo");
    const stopped = Date.now();
    await docker().getContainer(demo.id).stop();
    try {
      await waitFor("HealthProbeFailing for demo to fire", 150, firing);
      timings["probe alert fires after stop"] = (Date.now() - stopped) / 1000;
    } finally {
      await docker().getContainer(demo.id).start();
    }
    const restarted = Date.now();
    await waitFor("demo healthy again", 90, async () => (await e2eContainer("demo")).health === "healthy");
    await waitFor("HealthProbeFailing for demo to resolve", 150, async () => !(await firing()));
    timings["probe alert resolves after start"] = (Date.now() - restarted) / 1000;
  });

  it("logs names the services when asked for one that does not exist", () => {
    const run = cli("logs", "lokki");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no service "lokki" in this stack');
    expect(run.stderr).toContain('did you mean "loki"?');
  });

  it("a crashed component is restarted by its restart policy and becomes healthy again", async () => {
    const loki = await e2eContainer("loki");
    process.kill(loki.pid, "SIGKILL");
    await waitFor("loki to restart and report healthy", 120, async () => {
      const again = await e2eContainer("loki");
      return again.restartCount > loki.restartCount && again.health === "healthy";
    });
    expect(cli("status").status).toBe(0);
  });

  it("smoke fails, naming the broken part, when Loki is stopped", async () => {
    const loki = await e2eContainer("loki");
    await docker().getContainer(loki.id).stop();
    try {
      const run = cli("smoke", "--json");
      expect(run.status).toBe(1);
      const failed = smokeJson(run).checks.filter((check) => check.status === "fail");
      expect(failed.map((check) => check.name)).toContain("loki: a container's log line is queryable, with PII scrubbed");
      expect(failed.find((check) => check.name.startsWith("loki"))?.message).toMatch(/127\.0\.0\.1:3100/);
      expect(cli("status").status).toBe(1);
    } finally {
      await docker().getContainer(loki.id).start();
      await waitFor("loki healthy again", 120, async () => (await e2eContainer("loki")).health === "healthy");
    }
  });

  it("down keeps the data: samples and log lines written before are still there after up", async () => {
    const before = Date.now() / 1000 - 30;
    const samplesBefore = await queryPrometheusAt('up{job="prometheus"}', before);
    const linesBefore = await queryLokiCount('{service="obs-stack-smoke"}');
    expect(samplesBefore).toBeGreaterThan(0);
    expect(linesBefore).toBeGreaterThan(0);

    expect(timed("down", () => cli("down")).status).toBe(0);
    expect(timed("up (after down)", () => cli("up")).status).toBe(0);

    await waitFor("Prometheus to answer for the old timestamp", 60, async () => (await queryPrometheusAt('up{job="prometheus"}', before)) > 0);
    await waitFor("Loki to return the old lines", 60, async () => (await queryLokiCount('{service="obs-stack-smoke"}')) >= linesBefore);
  });

  it("down --volumes refuses without --yes when there is no terminal", () => {
    const run = cli("down", "--volumes");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/not deleting volumes without confirmation/);
  });
});
