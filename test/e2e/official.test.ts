/**
 * What only the official images can prove (E2E_IMAGES=official: the project's GitHub Actions
 * workflow, or any machine that can pull). Grafana, Loki, Promtail, Alloy and k6 are AGPL or pull
 * AGPL code, so the testbed does not build them. Here Grafana's API loads every shipped dashboard
 * and answers every panel query, Loki has the labels the dashboards use and answers every LogQL
 * panel, k6 runs the synthetics, and Promtail and Alloy each ship the line smoke looks for.
 * Self-contained: it brings the stack up itself and removes it, data included, at the end.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { IMAGE_PINS, LOG_AGENTS, type ImageName } from "../../scripts/stack/catalog/components.ts";
import { effectiveEnv, envFilePath } from "../../scripts/stack/config/env-file.ts";
import { loadStack } from "../../scripts/stack/resolve/load.ts";
import type { ResolvedStack } from "../../scripts/stack/resolve/resolve-stack.ts";
import { GRAFANA_PASSWORD_ENV } from "../../scripts/stack/render/compose-services.ts";
import { dashboardQueries } from "../../dashboards/build.ts";
import type { DashboardQuery } from "../../dashboards/lib/draft.ts";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { docker, projectContainers } from "../../scripts/stack/runtime/docker.ts";
import { componentUrl } from "../../scripts/stack/config/addresses.ts";
import { runCli, type CliRun } from "../helpers/run-cli.ts";
import { NOT_BUILT } from "../testbed/stand-ins.ts";
import { dashboardVariables, runPanelQuery } from "./dashboard-queries.ts";
import {
  allPanels,
  dsQueryBody,
  dsQueryOutcome,
  grafanaClient,
  jaegerSearchPath,
  type DashboardJson,
  type DsQueryResponse,
  type Grafana,
} from "./grafana-api.ts";
import { IMAGE_SET, peerSecrets, queryPrometheusAt, waitFor } from "./helpers.ts";

const PROJECT = "obs-e2e";
const CONFIG = join(REPO_ROOT, "test", "e2e", "stack.e2e.config.ts");
const OUT = join(REPO_ROOT, "test", "e2e", ".stack");
/** Container logs for the CI artifact, saved before `down` removes them (reports/ is git-ignored). */
const LOGS_DIR = join(REPO_ROOT, "reports", "e2e", "logs");
const SECRETS = { E2E_WEBHOOK_URL: "http://127.0.0.1:9/never-called", ...peerSecrets() };
const LOKI_CHECK = "loki: a container's log line is queryable, with PII scrubbed";

type Collector = "otelcol" | (typeof LOG_AGENTS)[number];
// stack.e2e.config.ts picks logs.collector from E2E_LOG_COLLECTOR; every call names it, so no
// command runs on a collector left over from an earlier one.
const cli = (collector: Collector, ...args: string[]): CliRun =>
  runCli(REPO_ROOT, [...args, "--config", CONFIG, "--out", OUT], { ...SECRETS, E2E_LOG_COLLECTOR: collector });

interface CheckReport {
  checks: Array<{ name: string; status: string; message: string }>;
}
const checksOf = (label: string, run: CliRun): CheckReport["checks"] => {
  const { checks } = JSON.parse(run.stdout) as CheckReport;
  for (const check of checks) process.stdout.write(`${label} ${check.status}: ${check.name} — ${check.message}\n`);
  return checks;
};

const pinned = (name: ImageName) => `${name} ${IMAGE_PINS[name].tag}`;

// vitest.e2e.config.ts includes this file only with E2E_IMAGES=official: the testbed does not boot
// these components (stack.test.ts prints which and why).
describe(`official images: ${Object.keys(NOT_BUILT).map((name) => pinned(name as ImageName)).join(", ")}`, () => {
  let model: ResolvedStack;

  beforeAll(async () => {
    expect(IMAGE_SET, "official.test.ts runs on the official images only (E2E_IMAGES=official)").toBe("official");
    // Whatever an earlier file or run left behind; fails harmlessly when there is nothing.
    cli("otelcol", "down", "--volumes", "--yes");
    model = (await loadStack({ config: CONFIG, cwd: REPO_ROOT, mode: "generate" })).model;
  });
  afterAll(async () => {
    await saveContainerLogs();
    cli("otelcol", "down", "--volumes", "--yes");
    // `down --volumes` removes the volumes of the current compose file only, not the agents' ones.
    for (const volume of ["promtail-positions", "alloy-data"])
      await docker()
        .getVolume(`${PROJECT}_${volume}`)
        .remove()
        .catch(() => undefined);
  });

  it("up brings every service to healthy, nothing switched off", () => {
    const run = cli("otelcol", "up");
    expect(run.stderr + run.stdout).not.toMatch(/^error\b/m);
    expect(run.status).toBe(0);
    const status = cli("otelcol", "status", "--json");
    const services = (JSON.parse(status.stdout) as { services: Array<{ service: string; ok: boolean }> }).services;
    expect(services.filter((s) => !s.ok)).toEqual([]);
    expect(services.map((s) => s.service)).toEqual(expect.arrayContaining(["grafana", "loki"]));
  });

  it("smoke passes, its Loki check included", () => {
    const run = cli("otelcol", "smoke", "--json");
    const checks = checksOf("smoke", run);
    expect(checks.find((check) => check.name === LOKI_CHECK)?.status).toBe("pass");
    expect(checks.filter((check) => check.status === "fail")).toEqual([]);
    expect(run.status).toBe(0);
  });

  describe(pinned("k6"), () => {
    it("synthetics against the demo pass, write JUnit, and k6 results are queryable in Prometheus", async () => {
      const junit = join(OUT, "synthetics.xml");
      const run = cli("otelcol", "synthetics", "--service", "demo", "--json", "--junit", junit);
      const checks = checksOf("synthetics", run);
      expect(run.status, run.stderr).toBe(0);
      expect(checks.map((check) => check.name)).toEqual(["demo/live", "demo/ready", "demo/detailed", "demo/product", "demo/search"]);
      expect(readFileSync(junit, "utf8")).toMatch(/<testsuite name="obs-stack synthetics" tests="5" failures="0"/);
      const testId = /testid="([^"]+)"/.exec(run.stderr)?.[1];
      expect(testId, run.stderr).toBeDefined();
      await waitFor("k6 results in Prometheus", 60, async () => (await queryPrometheusAt(`k6_http_reqs_total{testid="${testId}", service="demo"}`, Date.now() / 1000)) > 0);
      expect(await queryPrometheusAt(`k6_http_req_duration_p95{testid="${testId}", synthetic="search"}`, Date.now() / 1000)).toBeGreaterThan(0);
      // The scripts were rendered into a run directory of synthetics' own and are gone with it; the bundle has none
      // (a bundle an older version wrote may keep an empty k6/: generate removes the files it no longer writes, not folders).
      expect(readdirSync(OUT).filter((entry) => entry.startsWith(".synthetics-"))).toEqual([]);
      const k6Dir = join(OUT, "k6");
      expect(existsSync(k6Dir) ? readdirSync(k6Dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()) : []).toEqual([]);
    });

    it("synthetics against broken endpoints fail, naming each check and what was measured", () => {
      const run = cli("otelcol", "synthetics", "--service", "demo-broken", "--json");
      expect(run.status).toBe(1);
      const failed = Object.fromEntries(checksOf("synthetics (broken)", run).filter((check) => check.status === "fail").map((check) => [check.name, check.message]));
      expect(failed["demo-broken/wrong-status"]).toBe("status is 2xx failed 1 of 1");
      expect(failed["demo-broken/too-slow"]).toMatch(/^responds within 1000ms failed 1 of 1; threshold http_req_duration\{synthetic:too-slow\} max<1000 breached: measured max 3\.\d\ds$/);
      expect(failed["demo-broken/missing-text"]).toBe('json status == "ok" failed 1 of 1; body contains "healthy" failed 1 of 1');
      expect(run.stderr).toMatch(/error \[CHECKS_FAILED\]: 3 synthetic check\(s\) failed/);
    });
  });

  describe(pinned("loki"), () => {
    it("has the labels the dashboards select on", async () => {
      const start = (BigInt(Date.now() - 3_600_000) * 1_000_000n).toString();
      const response = await fetch(`${componentUrl(model.config, "loki")}/loki/api/v1/labels?start=${start}`);
      const labels = ((await response.json()) as { data?: string[] }).data ?? [];
      expect(labels).toEqual(expect.arrayContaining(["service", "container", "level", "category"]));
    });

    it("answers every LogQL panel of the Logs dashboard through query_range", async () => {
      const queries = dashboardQueries(model);
      const panels = queries.filter(
        (query): query is Extract<DashboardQuery, { kind: "panel" }> => query.kind === "panel" && query.dashboard === "logs" && query.query.datasource === "loki",
      );
      const variables = (await dashboardVariables(model, queries, "demo")).get("logs")!;
      const results = await Promise.all(panels.map((panel) => runPanelQuery(panel, variables)));
      process.stdout.write(`Loki: ${results.length} LogQL panel queries, ${results.filter((r) => r.series > 0).length} with data\n`);
      expect(results.length).toBeGreaterThan(0);
      expect(results.filter((r) => r.error).map((r) => `${r.panel}: ${r.error} (${r.query})`)).toEqual([]);
    });
  });

  describe(pinned("grafana"), () => {
    let grafana: Grafana;
    const shippedDashboards = (): DashboardJson[] =>
      readdirSync(join(OUT, "grafana", "dashboards"))
        .filter((file) => file.endsWith(".json"))
        .map((file) => JSON.parse(readFileSync(join(OUT, "grafana", "dashboards", file), "utf8")) as DashboardJson);

    beforeAll(() => {
      const password = effectiveEnv(envFilePath(CONFIG))[GRAFANA_PASSWORD_ENV];
      if (!password) throw new Error(`${GRAFANA_PASSWORD_ENV} is not in ${envFilePath(CONFIG)}: did up run?`);
      grafana = grafanaClient(componentUrl(model.config, "grafana"), model.config.components.grafana.adminUser, password);
    });

    it("every provisioned datasource passes its health check", async () => {
      const provisioned = (parse(readFileSync(join(OUT, "grafana", "provisioning", "datasources", "datasources.yml"), "utf8")) as { datasources: Array<{ uid: string; type: string }> })
        .datasources;
      const listed = (await grafana.get<Array<{ uid: string }>>("/api/datasources")).body;
      expect(listed.map((ds) => ds.uid).sort()).toEqual(provisioned.map((ds) => ds.uid).sort());
      const failures: string[] = [];
      for (const { uid, type } of provisioned) {
        // The Alertmanager plugin has no backend health check: its "Test" button asks Alertmanager's
        // status through the datasource proxy, so the test does the same.
        if (type === "alertmanager") {
          const status = await grafana.get(`/api/datasources/proxy/uid/${uid}/api/v2/status`);
          if (status.status !== 200) failures.push(`${uid}: proxied /api/v2/status answered ${status.status}`);
          continue;
        }
        const health = await grafana.get<{ status?: string; message?: string }>(`/api/datasources/uid/${uid}/health`);
        if (health.status !== 200 || health.body.status !== "OK") failures.push(`${uid}: ${health.status} ${health.body.message ?? ""}`);
      }
      process.stdout.write(`Grafana: ${provisioned.length} datasources checked (${provisioned.map((ds) => ds.uid).join(", ")})\n`);
      expect(failures).toEqual([]);
    });

    it("loads every dashboard the bundle ships, with all its panels", async () => {
      const shipped = shippedDashboards();
      const problems: string[] = [];
      for (const dashboard of shipped) {
        const loaded = await grafana.get<{ dashboard?: DashboardJson; message?: string }>(`/api/dashboards/uid/${dashboard.uid}`);
        const expected = allPanels(dashboard.panels).length;
        const got = loaded.body.dashboard ? allPanels(loaded.body.dashboard.panels).length : undefined;
        if (loaded.status !== 200 || got !== expected) problems.push(`${dashboard.uid}: HTTP ${loaded.status}, ${got ?? "no"} panels, expected ${expected} ${loaded.body.message ?? ""}`);
      }
      process.stdout.write(`Grafana: ${shipped.length} dashboards loaded\n`);
      expect(shipped.length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });

    it("answers every panel query through its datasource, without an error frame", async () => {
      // The Traces dashboard's service variable lists the services with span metrics.
      await waitFor("span metrics of the demo", 120, async () => (await queryPrometheusAt('traces_span_metrics_calls_total{service_name="demo"}', Date.now() / 1000)) > 0);
      const variables = await dashboardVariables(model, dashboardQueries(model), "demo");
      const errors: string[] = [];
      let panels = 0;
      let queries = 0;
      let withData = 0;
      const dashboards = shippedDashboards();
      for (const dashboard of dashboards) {
        const values = variables.get(dashboard.uid) ?? new Map<string, string>();
        for (const panel of allPanels(dashboard.panels)) {
          const targets = panel.targets ?? [];
          if (targets.length === 0) continue;
          panels++;
          queries += targets.length;
          const where = `${dashboard.uid} / ${panel.title ?? panel.type}`;
          // One panel, one datasource (dashboards/lib/draft.ts): Jaeger searches go through the proxy.
          if (targets[0]!.datasource.type === "jaeger") {
            for (const target of targets) {
              const search = await grafana.get<{ data?: unknown[]; errors?: unknown }>(jaegerSearchPath(target, values));
              if (search.status !== 200 || search.body.errors) errors.push(`${where} [${target.refId}]: HTTP ${search.status} ${JSON.stringify(search.body.errors ?? "")}`);
              else if ((search.body.data ?? []).length > 0) withData++;
            }
            continue;
          }
          const outcome = dsQueryOutcome(targets, await grafana.post<DsQueryResponse>("/api/ds/query", dsQueryBody(targets, values)));
          errors.push(...outcome.errors.map((error) => `${where} ${error}`));
          withData += outcome.withData;
        }
      }
      process.stdout.write(`Grafana: ${dashboards.length} dashboards, ${panels} panels, ${queries} queries answered, ${withData} with data\n`);
      expect(queries).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    });

    // Last in this block: the client above keeps the old password.
    it("a password changed in .env takes effect on the next up, although Grafana keeps its first one in its volume", async () => {
      const envFile = envFilePath(CONFIG);
      const changed = `e2e-${Date.now().toString(36)}-changed`;
      const lines = readFileSync(envFile, "utf8").split("\n").filter((line) => !line.startsWith(`${GRAFANA_PASSWORD_ENV}=`));
      writeFileSync(envFile, [...lines.filter(Boolean), `${GRAFANA_PASSWORD_ENV}=${changed}`, ""].join("\n"), { mode: 0o600 });
      const run = cli("otelcol", "up");
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).toMatch(/Grafana's admin password was reset to the one in/);
      expect(run.stdout + run.stderr).not.toContain(changed);
      const user = model.config.components.grafana.adminUser;
      const login = await grafanaClient(componentUrl(model.config, "grafana"), user, changed).get("/api/user");
      expect(login.status).toBe(200);
    });
  });

  describe("log collectors", () => {
    /** `up` with another logs.collector swaps the agents, and smoke finds its line in Loki. */
    async function switchTo(collector: Collector): Promise<void> {
      const run = cli(collector, "up");
      expect(run.stderr + run.stdout).not.toMatch(/^error\b/m);
      expect(run.status).toBe(0);
      const running = (await projectContainers(PROJECT)).filter((c) => c.state === "running").map((c) => c.service);
      expect(LOG_AGENTS.filter((agent) => running.includes(agent))).toEqual(collector === "otelcol" ? [] : [collector]);
      const smoke = cli(collector, "smoke", "--json");
      const checks = checksOf(`smoke (${collector})`, smoke);
      expect(checks.find((check) => check.name === LOKI_CHECK)?.status).toBe("pass");
      expect(checks.filter((check) => check.status === "fail")).toEqual([]);
      expect(smoke.status).toBe(0);
    }
    const prometheusHas = async (query: string) => (await queryPrometheusAt(query, Date.now() / 1000)) > 0;

    it(`${pinned("promtail")}: up replaces the Collector's log path by Promtail, and smoke passes`, () => switchTo("promtail"));

    it(`${pinned("alloy")}: up replaces Promtail by Alloy, and smoke passes`, () => switchTo("alloy"));

    it("Prometheus scrapes Alloy, whose loki.write has pushed entries and whose components are healthy", async () => {
      await waitFor("Prometheus to scrape Alloy", 60, () => prometheusHas('up{job="alloy"} == 1'));
      await waitFor("Alloy to report pushed entries", 60, () => prometheusHas('loki_write_sent_entries_total{job="alloy"} > 0'));
      expect(await prometheusHas('alloy_component_controller_running_components{job="alloy", health_type=~"unhealthy|exited"} > 0')).toBe(false);
    });

    it("back to otelcol: up removes Alloy, and smoke passes through the Collector again", () => switchTo("otelcol"));
  });
});

/** Each container's last log lines, for the CI artifact: `down` removes the containers with their logs. */
async function saveContainerLogs(): Promise<void> {
  mkdirSync(LOGS_DIR, { recursive: true });
  for (const container of await projectContainers(PROJECT)) {
    const logs = spawnSync("docker", ["logs", "--timestamps", "--tail", "500", container.id], { encoding: "utf8" });
    writeFileSync(join(LOGS_DIR, `${container.service}.log`), logs.stdout + logs.stderr);
  }
}
