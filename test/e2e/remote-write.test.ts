/**
 * metrics.remoteWrite against a real scale-out backend (issue 13, items 2-3, metrics part): the
 * stack's Prometheus remote-writes to three Thanos receivers (replication factor 3) behind a Thanos
 * Query that deduplicates by replica label, all four run by this test on the host:
 * - samples of a known series arrive, carrying the stack's external label;
 * - a receiver killed with SIGKILL (first a replica, then the one Prometheus writes to) and kept down
 *   for 30 s while Prometheus keeps writing loses nothing: over the whole window, the deduplicated
 *   view holds exactly as many samples of `up` and of a histogram's buckets as the bundled
 *   Prometheus (its local TSDB is the ground truth);
 * - the datasource URL the config renders for Grafana answers every Prometheus query of the
 *   dashboards built for this stack, and every rule expression of the bundle evaluates through it.
 * Thanos Receive has no authentication of its own, so wrong credentials are not tested here: the
 * rendered basic_auth/authorization is covered by test/unit/render/remote-write.test.ts and promtool.
 *
 * Why host processes and not containers: the Prometheus container already reaches the host through
 * the bridge gateway (host.docker.internal, as the e2e webhook sinks), a host process can be killed
 * with SIGKILL by its pid and its memory read from /proc, and no image has to be built around Thanos.
 * Run under the engine lock: `npm run testbed && npx vitest run --config vitest.e2e.config.ts test/e2e/remote-write.test.ts`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardQueries } from "../../dashboards/build.ts";
import { BUNDLE_PATHS } from "../../scripts/stack/bundle/bundle.ts";
import { renderGrafanaDatasources } from "../../scripts/stack/render/grafana.ts";
import { HOST_GATEWAY } from "../../scripts/stack/render/compose-services.ts";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { loadStack } from "../../scripts/stack/resolve/load.ts";
import type { ResolvedStack } from "../../scripts/stack/resolve/resolve-stack.ts";
import { bridgeGatewayAddress } from "../../scripts/stack/runtime/docker.ts";
import { substituteVariables } from "../../scripts/stack/validate/grafana-variables.ts";
import { testToolPath } from "../testbed/test-tools.ts";
import { runCli, type CliRun } from "../helpers/run-cli.ts";
import { dashboardVariables, runPanelQuery } from "./dashboard-queries.ts";
import { stackAvailable, waitFor } from "./helpers.ts";
import { SCRAPE_INTERVAL_SECONDS, THANOS_PORTS } from "./remote-write.e2e.config.ts";

const CONFIG = join(REPO_ROOT, "test", "e2e", "remote-write.e2e.config.ts");
const WORK = mkdtempSync(join(tmpdir(), "obs-e2e-remote-write-"));
const OUT = join(WORK, ".stack");
const cli = (...args: string[]): CliRun => runCli(REPO_ROOT, [...args, "--config", CONFIG, "--out", OUT]);
const LOCAL_PROMETHEUS = "http://127.0.0.1:9090";
const REPLICA_LABEL = "receive_replica";
const DOWN_SECONDS = 30;

interface Thanos {
  name: string;
  args: string[];
  child: ChildProcess;
}

interface Vector {
  status: string;
  error?: string;
  data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

async function instant(base: string, query: string, time?: number, extra: Record<string, string> = {}): Promise<Vector> {
  const params = new URLSearchParams({ query, ...(time === undefined ? {} : { time: String(time) }), ...extra });
  const response = await fetch(`${base}/api/v1/query?${params}`, { signal: AbortSignal.timeout(20_000) });
  return (await response.json()) as Vector;
}

/** A panel's query as Grafana sends it (dashboard-queries.ts's window and step), to Thanos Query, deduplicated. */
async function panelThroughThanos(base: string, expr: string, instantQuery: boolean): Promise<Vector> {
  const end = Math.floor(Date.now() / 1000);
  const params = new URLSearchParams({ query: expr, dedup: "true", partial_response: "false", ...(instantQuery ? { time: String(end) } : { start: String(end - 15 * 60), end: String(end), step: "30" }) });
  const response = await fetch(`${base}/api/v1/${instantQuery ? "query" : "query_range"}?${params}`, { signal: AbortSignal.timeout(20_000) });
  return (await response.json()) as Vector;
}

/** The one number a scalar-shaped query returns, or undefined while it returns nothing. */
function single(vector: Vector): number | undefined {
  if (vector.status !== "success") throw new Error(`query failed: ${vector.error ?? vector.status}`);
  return vector.data.result[0] ? Number(vector.data.result[0].value[1]) : undefined;
}

describe("remote-write to a scale-out backend: three Thanos receivers (replication factor 3) behind Thanos Query", () => {
  const started = Date.now();
  let gateway = "";
  let thanosQuery = "";
  let binary = "";
  const processes = new Map<string, Thanos>();
  const measured: Record<string, unknown> = {};
  let model: ResolvedStack;

  /** Thanos Query's answer, deduplicated across the receivers' replicas, with every store required. */
  const viaThanos = (query: string, time?: number) => instant(thanosQuery, query, time, { dedup: "true", partial_response: "false" });

  const start = (name: string, args: string[]): Thanos => {
    const log = openSync(join(WORK, `${name}.log`), "a");
    const child = spawn(binary, args, { stdio: ["ignore", log, log] });
    const thanos = { name, args, child };
    processes.set(name, thanos);
    return thanos;
  };
  const ready = (port: number) => async () => (await fetch(`http://${gateway}:${port}/-/ready`, { signal: AbortSignal.timeout(2000) })).ok;

  const receiver = (i: number) => {
    const at = (port: number) => `${gateway}:${port}`;
    return start(`receive-${i}`, [
      "receive",
      `--tsdb.path=${join(WORK, `receive-${i}`)}`,
      `--grpc-address=${at(THANOS_PORTS.grpc[i]!)}`,
      `--http-address=${at(THANOS_PORTS.http[i]!)}`,
      `--remote-write.address=${at(THANOS_PORTS.remoteWrite[i]!)}`,
      `--receive.capnproto-address=${at(THANOS_PORTS.capnproto[i]!)}`,
      `--receive.local-endpoint=${at(THANOS_PORTS.grpc[i]!)}`,
      `--receive.hashrings-file=${join(WORK, "hashring.json")}`,
      "--receive.replication-factor=3",
      `--label=${REPLICA_LABEL}="r${i}"`,
    ]);
  };

  const killHard = async (name: string) => {
    const { child } = processes.get(name)!;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };

  /** Resident and peak memory of each Thanos process still running (a restarted receiver's peak counts from its restart). */
  const measureMemory = () => {
    const kib = (pid: number, field: string) => Number(/(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((line) => line.startsWith(field)) ?? "")?.[1]);
    const running = [...processes.values()].filter(({ child }) => child.exitCode === null && child.signalCode === null);
    const memory = Object.fromEntries(running.map(({ name, child }) => [name, { rssMiB: Math.round(kib(child.pid!, "VmRSS:") / 1024), peakMiB: Math.round(kib(child.pid!, "VmHWM:") / 1024) }]));
    measured.memory = memory;
    measured.memoryTotalRssMiB = Object.values(memory).reduce((sum, m) => sum + m.rssMiB, 0);
  };

  beforeAll(async () => {
    expect(stackAvailable(), "the testbed's image overlay: run `npm run testbed` first").toBe(true);
    cli("down", "--volumes", "--yes");
    gateway = (await bridgeGatewayAddress())!;
    thanosQuery = `http://${gateway}:${THANOS_PORTS.queryHttp}`;
    binary = testToolPath("thanos");
    writeFileSync(
      join(WORK, "hashring.json"),
      JSON.stringify([
        { hashring: "default", endpoints: [0, 1, 2].map((i) => ({ address: `${gateway}:${THANOS_PORTS.grpc[i]}`, capnproto_address: `${gateway}:${THANOS_PORTS.capnproto[i]}` })) },
      ]),
    );
    for (const i of [0, 1, 2]) receiver(i);
    start("query", [
      "query",
      `--http-address=${gateway}:${THANOS_PORTS.queryHttp}`,
      `--grpc-address=${gateway}:${THANOS_PORTS.queryGrpc}`,
      ...THANOS_PORTS.grpc.map((port) => `--endpoint=${gateway}:${port}`),
      `--query.replica-label=${REPLICA_LABEL}`,
    ]);
    for (const i of [0, 1, 2]) await waitFor(`receive-${i} ready`, 60, ready(THANOS_PORTS.http[i]!));
    await waitFor("Thanos Query ready", 60, ready(THANOS_PORTS.queryHttp));
    const up = cli("up");
    expect(up.status, up.stdout + up.stderr).toBe(0);
    const loaded = (await loadStack({ config: CONFIG, cwd: REPO_ROOT, mode: "generate" })).model;
    // The dashboards and datasource a user's Grafana gets, although Grafana is not run here (nor
    // booted at all in the testbed): its Prometheus queries go to the datasource URL either way.
    model = { ...loaded, enabled: { ...loaded.enabled, grafana: true } };
  });

  afterAll(async () => {
    measureMemory();
    cli("down", "--volumes", "--yes");
    for (const { name, child } of processes.values()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      process.stdout.write(`stopped ${name}\n`);
    }
    rmSync(WORK, { recursive: true, force: true });
    measured.wallSeconds = (Date.now() - started) / 1000;
    process.stdout.write(`remote-write measurements: ${JSON.stringify(measured)}\n`);
  });

  it("samples of a known series reach Thanos, deduplicated, with the stack's external label", async () => {
    await waitFor("up{job=\"prometheus\"} in Thanos", 120, async () => single(await viaThanos('up{job="prometheus"}')) === 1);
    const { result } = (await viaThanos('up{job="prometheus"}')).data;
    expect(result).toHaveLength(1);
    expect(result[0]!.metric).toMatchObject({ job: "prometheus", stack: "obs-e2e" });
    expect(result[0]!.metric).not.toHaveProperty(REPLICA_LABEL);
    measured.firstSampleSeconds = (Date.now() - started) / 1000;
  });

  it("a receiver killed with SIGKILL, first a replica and then the one Prometheus writes to, loses no sample", async () => {
    // The window starts once the data flows, so both sides hold the whole of it.
    await new Promise((resolve) => setTimeout(resolve, 3 * SCRAPE_INTERVAL_SECONDS * 1000));
    const windowStart = Math.floor(Date.now() / 1000);
    for (const i of [2, 0]) {
      await killHard(`receive-${i}`);
      await new Promise((resolve) => setTimeout(resolve, DOWN_SECONDS * 1000));
      receiver(i);
      await waitFor(`receive-${i} ready again`, 60, ready(THANOS_PORTS.http[i]!));
    }
    await new Promise((resolve) => setTimeout(resolve, 3 * SCRAPE_INTERVAL_SECONDS * 1000));
    const windowEnd = Math.floor(Date.now() / 1000) - SCRAPE_INTERVAL_SECONDS;
    const range = `${windowEnd - windowStart}s`;
    // `up` at a known rate, and every bucket series of a histogram.
    const queries = { up: `sum(count_over_time(up{job="prometheus"}[${range}]))`, buckets: `sum(count_over_time(prometheus_http_request_duration_seconds_bucket[${range}]))` };
    const counts = async () => ({
      local: { up: single(await instant(LOCAL_PROMETHEUS, queries.up, windowEnd)), buckets: single(await instant(LOCAL_PROMETHEUS, queries.buckets, windowEnd)) },
      thanos: { up: single(await viaThanos(queries.up, windowEnd)), buckets: single(await viaThanos(queries.buckets, windowEnd)) },
    });
    // Prometheus retries what an unreachable receiver refused from its WAL: wait for it to catch up.
    let last: Awaited<ReturnType<typeof counts>> | undefined;
    let lastError = "";
    await waitFor("Thanos to hold every sample of the window", 120, async () => {
      last = await counts().catch((error: unknown) => {
        lastError = (error as Error).message;
        return last;
      });
      return last !== undefined && last.thanos.up === last.local.up && last.thanos.buckets === last.local.buckets;
    }).catch(() => undefined);
    if (!last) throw new Error(`no sample counts: ${lastError}`);
    const remote = Object.fromEntries(
      await Promise.all(
        ["samples_total", "samples_failed_total", "samples_retried_total", "samples_dropped_total", "samples_pending"].map(async (name) => [
          name,
          single(await instant(LOCAL_PROMETHEUS, `sum(prometheus_remote_storage_${name}{remote_name="thanos"})`)) ?? null,
        ]),
      ),
    );
    // Each replica on its own, not deduplicated: the killed receivers lack what arrived while they were down.
    measured.upPerReplica = await instant(thanosQuery, `sum by (${REPLICA_LABEL}) (count_over_time(up{job="prometheus"}[${range}]))`, windowEnd, { dedup: "false" }).then(
      (vector) => Object.fromEntries((vector.data?.result ?? []).map((sample) => [sample.metric[REPLICA_LABEL], Number(sample.value[1])])),
      (error: unknown) => (error as Error).message,
    );
    measured.windowSeconds = windowEnd - windowStart;
    measured.samples = last;
    if (lastError) measured.lastQueryError = lastError;
    measured.samplesLost = { up: (last.local.up ?? 0) - (last.thanos.up ?? 0), buckets: (last.local.buckets ?? 0) - (last.thanos.buckets ?? 0) };
    measured.prometheusRemoteStorage = remote;
    // One `up` sample per scrape interval over the window, give or take the scrape at either edge.
    expect(Math.abs(last.local.up! - (windowEnd - windowStart) / SCRAPE_INTERVAL_SECONDS)).toBeLessThanOrEqual(2);
    expect(last.thanos).toEqual(last.local);
    expect(remote.samples_failed_total).toBe(0);
    expect(remote.samples_dropped_total ?? 0).toBe(0);
    // The writer was unreachable for 30 s: Prometheus did retry (else nothing was proven).
    expect(remote.samples_retried_total).toBeGreaterThan(0);
  });

  it("the datasource URL rendered for Grafana answers every Prometheus query of the stack's dashboards", async () => {
    const datasources = parse(renderGrafanaDatasources(model)) as { datasources: Array<{ uid: string; url: string }> };
    const rendered = datasources.datasources.find((datasource) => datasource.uid === "prometheus")!.url;
    expect(rendered).toBe(`http://${HOST_GATEWAY}:${THANOS_PORTS.queryHttp}`);
    // Grafana's container reaches the host as host.docker.internal; from the host it is the gateway.
    const base = rendered.replace(HOST_GATEWAY, gateway);
    const queries = dashboardQueries(model);
    const variables = await dashboardVariables(model, queries, "prometheus");
    const panels = queries.filter((query) => query.kind === "panel" && query.query.datasource === "prometheus");
    expect(panels.length).toBeGreaterThan(5);
    const problems: string[] = [];
    let answered = 0;
    for (const panel of panels) {
      if (panel.kind !== "panel" || panel.query.datasource !== "prometheus") continue;
      const expr = substituteVariables(panel.query.expr, variables.get(panel.dashboard)!);
      const local = await runPanelQuery(panel, variables.get(panel.dashboard)!);
      const thanos = await panelThroughThanos(base, expr, panel.query.instant);
      if (thanos.status !== "success") problems.push(`${panel.dashboard}/${panel.panel}: ${thanos.error ?? thanos.status}: ${expr}`);
      else if (local.error === undefined && local.series > 0 && thanos.data.result.length === 0)
        problems.push(`${panel.dashboard}/${panel.panel}: no data through Thanos, ${local.series} series locally: ${expr}`);
      else answered += 1;
    }
    measured.dashboardQueries = { total: panels.length, answered };
    expect(problems).toEqual([]);
  });

  it("every rule expression of the bundle evaluates through Thanos Query, and the rules' own series arrive there", async () => {
    const rulesDir = join(OUT, BUNDLE_PATHS.rulesDir);
    const expressions = readdirSync(rulesDir)
      .filter((file) => file.endsWith(".yml"))
      .flatMap((file) => (parse(readFileSync(join(rulesDir, file), "utf8")) as { groups: Array<{ rules: Array<{ alert?: string; record?: string; expr: string }> }> }).groups)
      .flatMap((group) => group.rules.map((rule) => ({ name: rule.alert ?? rule.record ?? "?", expr: String(rule.expr) })));
    expect(expressions.length).toBeGreaterThan(5);
    const failed: string[] = [];
    for (const { name, expr } of expressions) {
      const answer = await viaThanos(expr);
      if (answer.status !== "success") failed.push(`${name}: ${answer.error ?? answer.status}`);
    }
    measured.ruleExpressions = expressions.length;
    expect(failed).toEqual([]);
    // The always-firing Watchdog: an alert the bundled Prometheus evaluated, stored through remote-write.
    expect(single(await viaThanos('count(ALERTS{alertname="Watchdog", alertstate="firing"})'))).toBe(1);
  });

});
