/**
 * Boots the real stack and drives it like a user and a CI job: up → status → smoke → what reaches
 * Loki → real exporter peers → a crashed component recovers → a stopped one makes smoke fail by
 * name → down/up keeps data → down --volumes. Runs on both image sets (helpers.ts IMAGE_SET): the
 * testbed's stand-ins here, the official images with E2E_IMAGES=official (official.test.ts adds
 * what only they can prove). Run with `npm run test:e2e`.
 */
import { createSocket } from "node:dgram";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { docker } from "../../scripts/stack/runtime/docker.ts";
import { runCli, type CliRun } from "../helpers/run-cli.ts";
import { tempProject } from "../helpers/temp-project.ts";
import { loadStack } from "../../scripts/stack/resolve/load.ts";
import { applyScrubRules, scrubRules } from "../../scripts/stack/logs/scrub-rules.ts";
import { dashboardQueries } from "../../dashboards/build.ts";
import { fluentdLogging } from "../../scripts/stack/render/log-shipping.ts";
import { bridgeGatewayAddress, execWithInput, removeContainer, startContainer } from "../../scripts/stack/runtime/docker.ts";
import { postJson } from "../../scripts/stack/checks/http.ts";
import { otlpSpan } from "../../scripts/stack/checks/otlp-payloads.ts";
import { dashboardVariables, runPanelQuery, type QueryResult } from "./dashboard-queries.ts";
import { IMAGE_SET, e2eContainer, notBooted, peerSecrets, prometheusConfig, queryLokiCount, queryPrometheusAt, stackAvailable, waitFor } from "./helpers.ts";
import { startLokiDoor, type LokiDoor } from "./loki-door.ts";
import { pointsInPrometheus, spansInJaeger, startLoad, type Load } from "./load-client.ts";

const CONFIG = join(REPO_ROOT, "test", "e2e", "stack.e2e.config.ts");
const OUT = join(REPO_ROOT, "test", "e2e", ".stack");
const SECRETS = { E2E_WEBHOOK_URL: "http://127.0.0.1:9/never-called", ...peerSecrets() };
/** What this image set does not boot (empty with the official images). */
const NOT_BOOTED = stackAvailable() ? notBooted() : {};
const booted = (component: string) => !(component in NOT_BOOTED);
const cliWithEnv = (env: Record<string, string>, ...args: string[]): CliRun =>
  runCli(REPO_ROOT, [...args, "--config", CONFIG, "--out", OUT], { ...SECRETS, ...env });
const cli = (...args: string[]): CliRun => cliWithEnv({}, ...args);

interface SmokeReport {
  passed: boolean;
  checks: Array<{ name: string; status: string; message: string }>;
}
const smokeJson = (run: CliRun): SmokeReport => JSON.parse(run.stdout) as SmokeReport;

/** Right after a container is replaced, a pooled keep-alive connection to the old one fails once: ask again. */
async function statusAfterRestart(url: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await fetch(url)).status;
    } catch (error) {
      if (attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

describe(`the stack on a real Docker engine (${IMAGE_SET} images)`, () => {
  let lokiDoor: LokiDoor | undefined;
  let danglingBefore: string[] = [];
  const timings: Record<string, number> = {};
  const timed = <T>(name: string, action: () => T): T => {
    const started = Date.now();
    const result = action();
    timings[name] = (Date.now() - started) / 1000;
    return result;
  };

  beforeAll(async () => {
    expect(stackAvailable(), "the testbed's image overlay: run `npm run test:e2e` (it runs `npm run testbed` first)").toBe(true);
    cli("down", "--volumes", "--yes");
    danglingBefore = await danglingVolumes();
    if (!booted("loki")) lokiDoor = await startLokiDoor((await bridgeGatewayAddress())!);
  });
  afterAll(async () => {
    cli("down", "--volumes", "--yes");
    await lokiDoor?.stop();
    process.stdout.write(`e2e timings (s): ${JSON.stringify(timings)}\n`);
  });

  it("the engine, and what this image set does not boot, are reported, not hidden", async () => {
    const version = await docker().version();
    process.stdout.write(`Docker engine ${version.Version} (API ${version.ApiVersion}), ${IMAGE_SET} images\n`);
    for (const [name, reason] of Object.entries(NOT_BOOTED)) process.stdout.write(`not booted here: ${name}: ${reason}\n`);
    // Exactly the AGPL components, and only on the testbed.
    expect(Object.keys(NOT_BOOTED).sort()).toEqual(IMAGE_SET === "official" ? [] : ["alloy", "grafana", "k6", "loki", "promtail"]);
  });

  it("up brings every service to healthy", () => {
    const run = timed("up (cold)", () => cli("up"));
    expect(run.stderr + run.stdout).not.toMatch(/^error\b/m);
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

  it("a secret reaches a running container on its stdin, not its command line (how up resets Grafana's password)", async () => {
    const alertmanager = await e2eContainer("alertmanager");
    expect(await execWithInput(alertmanager.id, ["cat"], "s3cret with spaces\n")).toEqual({ exitCode: 0, output: "s3cret with spaces\n" });
    expect((await execWithInput(alertmanager.id, ["sh", "-c", "cat >/dev/null; exit 3"], "x")).exitCode).toBe(3);
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
    if (booted("grafana")) {
      expect(run.stdout).toContain("restarted grafana (its config changed)");
      expect((await e2eContainer("grafana")).health).toBe("healthy");
    }
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
    // Here Grafana is not booted and logs go to the recording door, which smoke does not query.
    const skipped = report.checks.filter((check) => check.status === "skipped").map((check) => check.name);
    expect(skipped).toEqual(
      IMAGE_SET === "official"
        ? []
        : ["grafana: healthy, datasources pass their health checks, dashboards provisioned", "loki: a container's log line is queryable, with PII scrubbed"],
    );
    expect(readFileSync(junit, "utf8")).toMatch(new RegExp(`<testsuite name="obs-stack smoke" tests="8" failures="0" skipped="${skipped.length}"`));
  });

  // With the official images logs reach the real Loki: smoke's log check above and official.test.ts prove them there.
  if (!booted("loki")) it("what reaches Loki's door: container and OTLP logs, labelled, parsed, scrubbed, dropped lines absent", async () => {
    const { model } = await loadStack({ config: CONFIG, cwd: REPO_ROOT, mode: "generate" });
    const scrub = scrubRules(model.config.logs);
    const token = `e2e${Date.now()}`;
    const pii = "card 4111 1111 1111 1234 for jane.doe@example.com";
    // A container outside the bundle, logging the way the bundle's services do (the README says how).
    const writer = await startContainer({
      image: model.images.prometheus,
      entrypoint: ["/bin/sh", "-c"],
      cmd: [`echo '{"level":"WARN","msg":"${token} container ${pii}","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","request_id":"r-${token}"}'; echo '${token} obs-e2e-drop-me'; sleep 30`],
      labels: { "io.obs-stack.service": "e2e-writer", "io.obs-stack.category": "audit" },
      logging: fluentdLogging(model),
    });
    // And an application sending OTLP logs straight to the Collector, PII in its body and attributes.
    const otlpLog = (body: string) => ({
      resourceLogs: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "e2e-otlp" } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  severityText: "Error",
                  body: { stringValue: body },
                  attributes: [{ key: "user.email", value: { stringValue: "bob@corp.example.com" } }],
                },
              ],
            },
          ],
        },
      ],
    });
    try {
      await postJson("http://127.0.0.1:4318/v1/logs", otlpLog(`${token} otlp ${pii}`));
      await postJson("http://127.0.0.1:4318/v1/logs", otlpLog(`${token} otlp obs-e2e-drop-me`));
      const ofToken = () => lokiDoor!.received().filter((log) => log.body.includes(token));
      const arrived = (service: string) => ofToken().some((log) => log.resource.service === service);
      await waitFor("the container's and the application's logs at Loki's door", 60, async () => arrived("e2e-writer") && arrived("e2e-otlp"));
      // Let anything that should have been dropped arrive, if it were going to.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const received = ofToken();
      expect(received.filter((log) => log.body.includes("obs-e2e-drop-me"))).toEqual([]);

      const container = received.find((log) => log.resource.service === "e2e-writer")!;
      expect(container, JSON.stringify(received)).toBeDefined();
      const raw = `{"level":"WARN","msg":"${token} container ${pii}","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","request_id":"r-${token}"}`;
      expect(container.body).toBe(applyScrubRules(raw, scrub));
      expect(container.body).toContain("****-****-****-1234");
      expect(container.body).toContain("***@example.com");
      expect(container.resource).toMatchObject({ service: "e2e-writer", "service.name": "e2e-writer", category: "audit", level: "warn" });
      expect(container.resource.container).toBe((await docker().getContainer(writer).inspect()).Name.replace(/^\//, ""));
      expect(container.attributes).toMatchObject({ trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", request_id: `r-${token}`, stream: "stdout" });

      const otlp = received.find((log) => log.resource["service.name"] === "e2e-otlp")!;
      expect(otlp, JSON.stringify(received)).toBeDefined();
      expect(otlp.body).toBe(applyScrubRules(`${token} otlp ${pii}`, scrub));
      expect(otlp.attributes["user.email"]).toBe("***@corp.example.com");
      expect(otlp.resource).toMatchObject({ service: "e2e-otlp", category: "app", level: "error" });

      // The stack's own services arrive the same way: the demo's JSON lines, parsed.
      const demo = lokiDoor!.received().find((log) => log.resource.compose_service === "demo" && log.attributes.trace_id);
      expect(demo, "a demo log line with a trace id").toBeDefined();
      expect(demo!.resource).toMatchObject({ service: "demo", compose_project: "obs-e2e", category: "app" });
      expect(demo!.resource.level).toMatch(/^(debug|info|warn|error)$/);
    } finally {
      await removeContainer(writer);
    }
  });

  it("the exporters read real PostgreSQL and Redis servers", async () => {
    const now = () => Date.now() / 1000;
    await waitFor("postgres and redis exporters up against their servers", 90, async () => {
      return (await queryPrometheusAt('pg_up{instance=~".*"} == 1', now())) > 0 && (await queryPrometheusAt("redis_up == 1", now())) > 0;
    });
    // Metrics only a live server can produce: the database the peer created, and connected clients.
    expect(await queryPrometheusAt('pg_stat_database_numbackends{datname="e2e"}', now())).toBeGreaterThan(0);
    expect(await queryPrometheusAt("redis_connected_clients > 0", now())).toBeGreaterThan(0);
  });

  it("an opt-in component runs like the others: a StatsD counter sent over UDP to its published port reaches Prometheus", async () => {
    const socket = createSocket("udp4");
    // UDP: a line sent before the exporter listens is lost, so it is sent again on every try.
    const send = () => new Promise<void>((resolve, reject) => socket.send("obs_e2e_statsd_total:1|c", 9125, "127.0.0.1", (error) => (error ? reject(error) : resolve())));
    try {
      await waitFor("the StatsD counter in Prometheus", 90, async () => {
        await send();
        return (await queryPrometheusAt('obs_e2e_statsd_total{job="statsd-exporter"} > 0', Date.now() / 1000)) > 0;
      });
    } finally {
      socket.close();
    }
  });

  it("no dead panels: every dashboard query runs, and every panel that should have data has it", async () => {
    const loaded = (await loadStack({ config: CONFIG, cwd: REPO_ROOT, mode: "generate" })).model;
    // The dashboards a user's Grafana shows, even where Grafana itself is not booted: their queries
    // go to Prometheus, Loki and Jaeger, which answer the same either way.
    const model = { ...loaded, enabled: { ...loaded.enabled, grafana: true } };
    const queries = dashboardQueries(model);
    const all = queries.filter((query) => query.kind === "panel");
    // Without Loki here, its queries cannot run; official.test.ts runs them against the real one.
    const panels = booted("loki") ? all : all.filter((query) => query.query.datasource !== "loki");
    if (panels.length < all.length) process.stdout.write(`not run here: ${all.length - panels.length} LogQL panel queries (Loki not booted)\n`);
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
    expect(dashboards.size, "every shipped dashboard").toBeGreaterThanOrEqual(8);
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
    const run = cli("logs", "jaegr");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no service "jaegr" in this stack');
    expect(run.stderr).toContain('did you mean "jaeger"?');
  });

  it("a crashed component is restarted by its restart policy and becomes healthy again", async () => {
    const alertmanager = await e2eContainer("alertmanager");
    process.kill(alertmanager.pid, "SIGKILL");
    await waitFor("alertmanager to restart and report healthy", 120, async () => {
      const again = await e2eContainer("alertmanager");
      return again.restartCount > alertmanager.restartCount && again.health === "healthy";
    });
    expect(cli("status").status).toBe(0);
  });

  it("smoke fails, naming the broken part, when Jaeger is stopped", async () => {
    const jaeger = await e2eContainer("jaeger");
    await docker().getContainer(jaeger.id).stop();
    try {
      const run = cli("smoke", "--json");
      expect(run.status).toBe(1);
      const failed = smokeJson(run).checks.filter((check) => check.status === "fail");
      expect(failed.map((check) => check.name)).toContain("traces: a span sent over OTLP is found in Jaeger");
      expect(failed.find((check) => check.name.startsWith("traces"))?.message).toMatch(/127\.0\.0\.1:16686|Jaeger/);
      expect(cli("status").status).toBe(1);
    } finally {
      await docker().getContainer(jaeger.id).start();
      await waitFor("jaeger healthy again", 120, async () => (await e2eContainer("jaeger")).health === "healthy");
    }
  });

  // Nothing acknowledged is lost (issue 11, item 6): a real OTLP client sends a known set of spans
  // and counter points to the Collector while a backend restarts, and every one of them must arrive.
  // The Collector stays up, so it acknowledges every send (the metrics client would exit non-zero
  // otherwise); its exports to the restarting backend fail meanwhile, and its queue holds them.
  for (const backend of ["jaeger", "prometheus"] as const)
    it(`nothing the Collector acknowledged is lost when ${backend} restarts mid-stream`, async () => {
      const load = startLoad(`e2e-delivery-${backend}-${Date.now()}`, 400, 10);
      try {
        // Mid-stream: once the first of it has arrived, with most of its 40 seconds still to come.
        await waitFor(`the first of the run in ${backend}`, 60, async () => (await arrivedAt(backend, load)) > 0);
        await docker().getContainer((await e2eContainer(backend)).id).restart();
        expect(load.running(), "the stream must outlast the restart, or nothing was sent during it").toBe(true);
        await load.done;
        await expectAllArrived(load);
      } finally {
        load.stop();
        await waitFor(`${backend} healthy again`, 120, async () => (await e2eContainer(backend)).health === "healthy");
      }
    });

  it("nothing the Collector acknowledged is lost when the Collector itself restarts", async () => {
    // What the Collector had not acknowledged when it went down is the client's to send again, and
    // telemetrygen does not: so the whole set is sent and acknowledged first (the clients exit 0),
    // with Jaeger and Prometheus stopped so that none of it can leave the Collector's queues. Then
    // the Collector restarts, and only then are the backends started: everything that arrives came
    // out of the queues on the Collector's volume, and all of it must.
    const backends = await Promise.all((["jaeger", "prometheus"] as const).map(async (service) => ({ service, id: (await e2eContainer(service)).id })));
    const collector = await e2eContainer("otel-collector");
    for (const { id } of backends) await docker().getContainer(id).stop();
    const load = startLoad(`e2e-delivery-otel-collector-${Date.now()}`, 200, 20);
    try {
      await load.done;
      await docker().getContainer(collector.id).restart();
      expect((await e2eContainer("otel-collector")).startedAt).not.toBe(collector.startedAt);
    } finally {
      load.stop();
      for (const { id } of backends) await docker().getContainer(id).start().catch(() => undefined);
      for (const { service } of backends) await waitFor(`${service} healthy again`, 120, async () => (await e2eContainer(service)).health === "healthy");
    }
    await expectAllArrived(load);
  });

  it("backup and restore: a fresh stack gets back the samples, silences and traces that were there, and an image bump keeps them", async () => {
    const at = Date.now() / 1000 - 20;
    const samples = 'count_over_time(up{job="prometheus"}[2m])';
    await waitFor("Prometheus samples to back up", 60, async () => (await queryPrometheusAt(samples, at)) > 0);
    const silence = (await (
      await postJson("http://127.0.0.1:9093/api/v2/silences", {
        matchers: [{ name: "e2e", value: "backup", isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        createdBy: "e2e",
        comment: "kept by the backup",
      })
    ).json()) as { silenceID: string };
    const traceId = randomBytes(16).toString("hex");
    await postJson("http://127.0.0.1:4318/v1/traces", otlpSpan(traceId, "backup"));
    const traceFound = async () => ((await (await fetch(`http://127.0.0.1:16686/api/traces/${traceId}`)).json()) as { data?: unknown[] }).data?.length === 1;
    await waitFor("the trace in Jaeger", 60, traceFound);
    const silenceFound = async () => (await statusAfterRestart(`http://127.0.0.1:9093/api/v2/silence/${silence.silenceID}`)) === 200;

    const dir = join(tempProject({}), "backup");
    const backup = cli("backup", "--to", dir);
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/backup of "obs-e2e" in .*: \d+ volumes/);

    // A fresh stack: nothing of the above is there.
    expect(cli("down", "--volumes", "--yes").status).toBe(0);
    expect(cli("up").status).toBe(0);
    expect(await silenceFound()).toBe(false);
    await waitFor("the fresh Prometheus to answer, without the old samples", 30, async () => (await queryPrometheusAt(samples, at)) === 0);

    const restore = cli("restore", "--from", dir, "--yes");
    expect(restore.status, restore.stderr).toBe(0);
    await waitFor("the restored samples", 60, async () => (await queryPrometheusAt(samples, at)) > 0);
    expect(await silenceFound()).toBe(true);
    await waitFor("the restored trace", 60, traceFound);

    // A new image for Prometheus (the same binary under a new tag): Compose recreates it on the same volume.
    const prometheus = await e2eContainer("prometheus");
    const repository = prometheus.image.slice(0, prometheus.image.lastIndexOf(":"));
    const bumped = `${repository}:e2e-bump`;
    await docker().getImage(prometheus.image).tag({ repo: repository, tag: "e2e-bump" });
    try {
      expect(cliWithEnv({ E2E_PROMETHEUS_IMAGE: bumped }, "up").status).toBe(0);
      expect((await e2eContainer("prometheus")).image).toBe(bumped);
      await waitFor("the samples after the image bump", 60, async () => (await queryPrometheusAt(samples, at)) > 0);
      expect(cli("up").status).toBe(0);
    } finally {
      await docker().getImage(bumped).remove().catch(() => undefined);
    }
  });

  it("down keeps the data: samples (and, where Loki runs, log lines) written before are still there after up", async () => {
    const before = Date.now() / 1000 - 30;
    const samplesBefore = await queryPrometheusAt('up{job="prometheus"}', before);
    const linesBefore = booted("loki") ? await queryLokiCount('{service="obs-stack-smoke"}') : 0;
    expect(samplesBefore).toBeGreaterThan(0);
    if (booted("loki")) expect(linesBefore).toBeGreaterThan(0);

    expect(timed("down", () => cli("down")).status).toBe(0);
    expect(timed("up (after down)", () => cli("up")).status).toBe(0);

    await waitFor("Prometheus to answer for the old timestamp", 60, async () => (await queryPrometheusAt('up{job="prometheus"}', before)) > 0);
    if (booted("loki")) await waitFor("Loki to return the old lines", 60, async () => (await queryLokiCount('{service="obs-stack-smoke"}')) >= linesBefore);
  });

  it("smoke leaves no container or anonymous volume behind", async () => {
    const leftovers = await docker().listContainers({ all: true, filters: { label: ["io.obs-stack.service=obs-stack-smoke"] } });
    expect(leftovers).toEqual([]);
    expect((await danglingVolumes()).filter((name) => !danglingBefore.includes(name))).toEqual([]);
  });

  it("down --volumes refuses without --yes when there is no terminal", () => {
    const run = cli("down", "--volumes");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/not deleting volumes without confirmation/);
  });
});

const arrivedAt = (backend: "jaeger" | "prometheus", load: Load) => (backend === "jaeger" ? spansInJaeger(load) : pointsInPrometheus(load));

/** Every span and point of the run, each once: the wait allows for the Collector's retry interval and a DNS refresh. */
async function expectAllArrived(load: Load): Promise<void> {
  const counts = async (): Promise<[number, number]> => [await spansInJaeger(load).catch(() => 0), await pointsInPrometheus(load).catch(() => 0)];
  const complete = async () => {
    const [spans, points] = await counts();
    return spans >= load.spans && points >= load.points;
  };
  // A timeout is reported by the comparison below, with the counts that did arrive.
  await waitFor(`${load.spans} spans in Jaeger and ${load.points} points in Prometheus`, 180, complete).catch(() => undefined);
  expect(await counts()).toEqual([load.spans, load.points]);
}

async function danglingVolumes(): Promise<string[]> {
  const { Volumes } = await docker().listVolumes({ filters: { dangling: ["true"] } });
  return (Volumes ?? []).map((volume) => volume.Name);
}
