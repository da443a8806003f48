/**
 * An agent on another machine (issue 13): the agent host (test/testbed/agent-host.sh) is a network
 * namespace with a Docker engine of its own, which reaches this machine only at the address the
 * central stack's proxy is published on. There `npm run agent -- --host edge-1` runs as a user would
 * on that host (in its namespace, against its engine) and ships to the central stack through the
 * proxy with the host's token. Proven: the host's metrics, a container log line (scrubbed on the
 * agent) and a trace arrive labelled with the host; a wrong token, another host's token and no token
 * are refused; `status` shows each host's last report; stopping the agent fires AgentHostDown at a
 * webhook and starting it again resolves it. Where Loki is not booted, its recording door stands
 * for a Loki and an OTLP trace backend of the user's that take data only with their token
 * (logs.loki.bearerTokenEnv, traces.export). Measured: the agent's memory on its host.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookSink, type WebhookSink } from "../../scripts/stack/checks/webhook-sink.ts";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { bridgeGatewayAddress } from "../../scripts/stack/runtime/docker.ts";
import { LAUNCHER, runCli, type CliRun } from "../helpers/run-cli.ts";
import { agentHostUnavailable, copyImagesToAgentHost, startAgentHost, stopAgentHost, type AgentHost } from "../testbed/agent-host.ts";
import {
  AGENT_HOST,
  AGENTS_CA_FILE,
  AGENTS_PROXY_PORT,
  AGENTS_WEBHOOK_ENV,
  AGENTS_WEBHOOK_PORT,
  BACKEND_TOKEN_ENV,
  CENTRAL_ADDRESS,
  SILENT_HOST,
} from "./agents.e2e.config.ts";
import { notBooted, proxyCaRoot, stackAvailable, waitFor } from "./helpers.ts";
import { startLokiDoor, type LokiDoor } from "./loki-door.ts";

const CONFIG = join(REPO_ROOT, "test", "e2e", "agents.e2e.config.ts");
const OUT = join(mkdtempSync(join(tmpdir(), "obs-e2e-agents-")), ".stack");
const NETNS = "/run/netns/obs-agent";
const IN_CI = process.env.CI === "true";

/** What `generate` would write into .env, given through the environment (which wins over .env). */
const TOKENS = { [AGENT_HOST]: randomBytes(24).toString("base64url"), [SILENT_HOST]: randomBytes(24).toString("base64url") };
const BACKEND_TOKEN = randomBytes(24).toString("base64url");
const CENTRAL_ENV = {
  [BACKEND_TOKEN_ENV]: BACKEND_TOKEN,
  PROXY_PASSWORD: randomBytes(24).toString("base64url"),
  PROXY_OTLP_TOKEN: randomBytes(24).toString("base64url"),
  AGENT_TOKEN_EDGE_1: TOKENS[AGENT_HOST],
  AGENT_TOKEN_EDGE_2: TOKENS[SILENT_HOST],
  [AGENTS_WEBHOOK_ENV]: `http://host.docker.internal:${AGENTS_WEBHOOK_PORT}/agents`,
};
const central = (...args: string[]): CliRun => runCli(REPO_ROOT, [...args, "--config", CONFIG, "--out", OUT], CENTRAL_ENV);

interface Notification {
  alerts: Array<{ status: "firing" | "resolved"; labels: Record<string, string> }>;
}

const unavailable = agentHostUnavailable() ?? (stackAvailable() ? undefined : "the testbed's image overlay is missing (run `npm run testbed`)");

describe.skipIf(unavailable !== undefined && !IN_CI)(`an agent on another machine${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  let agentHost: AgentHost;
  let sink: WebhookSink;
  let lokiDoor: LokiDoor | undefined;
  const measured: Record<string, unknown> = {};

  /** The CLI as it runs on the agent's host: in its network namespace, against its engine. */
  const onAgentHost = (args: string[], env: Record<string, string> = {}): CliRun => {
    const run = spawnSync("nsenter", [`--net=${NETNS}`, process.execPath, LAUNCHER, ...args, "--config", CONFIG, "--out", OUT], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, DOCKER_HOST: agentHost.dockerHost, ...env },
      timeout: 600_000,
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };
  const agentDocker = (...args: string[]) => spawnSync("docker", ["--host", agentHost.dockerHost, ...args], { encoding: "utf8" });
  /** A request from the agent's host to the central proxy, trusting only its CA. */
  const fromAgentHost = (path: string, token: string | undefined): number => {
    const script = `
      const https = require("node:https");
      const req = https.request({ host: ${JSON.stringify(CENTRAL_ADDRESS)}, port: ${AGENTS_PROXY_PORT}, path: ${JSON.stringify(path)}, method: "POST",
        ca: require("node:fs").readFileSync(${JSON.stringify(AGENTS_CA_FILE)}), headers: { "content-type": "application/json", ${token === undefined ? "" : `authorization: "Bearer ${token}"`} } },
        (res) => { console.log(res.statusCode); res.resume(); });
      req.on("error", (error) => { console.log("error " + error.message); });
      req.end(JSON.stringify({ resourceMetrics: [] }));`;
    const run = spawnSync("nsenter", [`--net=${NETNS}`, process.execPath, "-e", script], { encoding: "utf8", timeout: 30_000 });
    return Number(run.stdout.trim());
  };
  /**
   * Whether a notification received since `from` (an index into what the sink received) carries the
   * host's AgentHostDown in that state. Both hosts' alerts share a group, so one notification can
   * carry one firing and the other resolved: the state is each alert's.
   */
  const notified = (status: "firing" | "resolved", host: string, from = 0) =>
    sink.received
      .slice(from)
      .map((body) => JSON.parse(body) as Notification)
      .some((n) => n.alerts.some((a) => a.status === status && a.labels.alertname === "AgentHostDown" && a.labels.host === host));
  const prometheus = async (query: string) => {
    const response = await fetch(`http://127.0.0.1:9090/api/v1/query?query=${encodeURIComponent(query)}`);
    return ((await response.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }).data.result;
  };

  beforeAll(async () => {
    if (unavailable) throw new Error(`CI=true requires the agent host: ${unavailable}`);
    agentHost = startAgentHost();
    const gateway = (await bridgeGatewayAddress())!;
    sink = await startWebhookSink(gateway, AGENTS_WEBHOOK_PORT);
    if ("loki" in notBooted()) lokiDoor = await startLokiDoor(gateway, { bearerToken: BACKEND_TOKEN, traces: true });
    central("down", "--volumes", "--yes");
    const up = central("up");
    expect(up.status, up.stdout + up.stderr).toBe(0);
    writeFileSync(AGENTS_CA_FILE, await proxyCaRoot());
    const plan = JSON.parse(spawnSync("cat", [join(OUT, "plan.json")], { encoding: "utf8" }).stdout) as { services: Array<{ name: string; image: string }> };
    const images = plan.services.filter((service) => ["node-exporter", "cadvisor", "otel-collector"].includes(service.name)).map((service) => service.image);
    expect(images).toHaveLength(3);
    copyImagesToAgentHost(images);
  });

  afterAll(async () => {
    if (agentHost) {
      onAgentHost(["agent", "--host", AGENT_HOST, "--down"]);
      agentDocker("volume", "prune", "--all", "--force");
      stopAgentHost();
    }
    central("down", "--volumes", "--yes");
    rmSync(AGENTS_CA_FILE, { force: true });
    await sink?.close();
    await lokiDoor?.stop();
    process.stdout.write(`agents measurements: ${JSON.stringify(measured)}\n`);
  });

  it("the agent's machine reaches this one only at the proxy: the central Prometheus's port does not answer there", () => {
    const probe = spawnSync("nsenter", [`--net=${NETNS}`, process.execPath, "-e", `fetch("http://${CENTRAL_ADDRESS}:9090/-/ready", { signal: AbortSignal.timeout(3000) }).then(() => console.log("answered"), () => console.log("refused"))`], { encoding: "utf8" });
    expect(probe.stdout.trim()).toBe("refused");
  });

  it("without its token the agent says how to get it, and starts nothing", () => {
    const run = onAgentHost(["agent", "--host", AGENT_HOST], { OBS_AGENT_TOKEN: "" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`npm run agent -- --host ${AGENT_HOST} --print-token`);
    expect(agentDocker("ps", "-q").stdout.trim()).toBe("");
  });

  it("started with its token, the host's metrics reach the central stack labelled with the host and its labels", async () => {
    const printed = central("agent", "--host", AGENT_HOST, "--print-token");
    expect(printed.stdout.trim()).toBe(TOKENS[AGENT_HOST]);
    const started = Date.now();
    const run = onAgentHost(["agent", "--host", AGENT_HOST], { OBS_AGENT_TOKEN: printed.stdout.trim() });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`shipping to https://${CENTRAL_ADDRESS}:${AGENTS_PROXY_PORT}/agents/${AGENT_HOST}`);
    measured["agent up (s)"] = (Date.now() - started) / 1000;
    await waitFor("node-exporter's samples from the agent", 120, async () => (await prometheus(`node_uname_info{host="${AGENT_HOST}"}`)).length > 0);
    measured["first sample after agent up (s)"] = (Date.now() - started) / 1000;
    const [uname] = await prometheus(`node_uname_info{host="${AGENT_HOST}"}`);
    expect(uname!.metric).toMatchObject({ host: AGENT_HOST, region: "lab", instance: AGENT_HOST, job: "node-exporter" });
    // Each target is scraped on its own schedule: all three within an interval or two.
    await waitFor("every target of the agent", 60, async () => (await prometheus(`up{host="${AGENT_HOST}"}`)).length === 3);
    const up = await prometheus(`up{host="${AGENT_HOST}"}`);
    expect(up.map((series) => series.metric.job).sort()).toEqual(["cadvisor", "node-exporter", "otel-collector"]);
    for (const series of up) expect(series.value[1], series.metric.job).toBe("1");
    // This machine's own node-exporter has no host label: the two are told apart.
    expect((await prometheus(`node_uname_info{host=""}`)).length).toBe(1);
  });

  it("a container's log line on the agent's host reaches Loki scrubbed, labelled with the host", async () => {
    const marker = `agent-e2e-${randomBytes(4).toString("hex")}`;
    const image = agentDocker("ps", "--filter", "label=com.docker.compose.service=node-exporter", "--format", "{{.Image}}").stdout.trim();
    const run = agentDocker("run", "--rm", "--log-driver", "fluentd", "--log-opt", "fluentd-address=tcp://127.0.0.1:24224", "--label", "io.obs-stack.service=edge-app", "--log-opt", "labels=io.obs-stack.service", "--entrypoint", "sh", image, "-c", `echo "${marker} order by jane.doe@example.com paid with 4111 1111 1111 1111"`);
    expect(run.status, run.stderr).toBe(0);
    if (!lokiDoor) return; // Loki itself runs (official images): smoke covers its query path.
    await waitFor("the log line at Loki's door", 60, async () => lokiDoor!.received().some((log) => log.body.includes(marker)));
    const line = lokiDoor.received().find((log) => log.body.includes(marker))!;
    expect(line.resource).toMatchObject({ host: AGENT_HOST, region: "lab", service: "edge-app" });
    expect(line.body).not.toContain("jane.doe");
    expect(line.body).not.toContain("4111 1111 1111 1111");
    expect(line.body).toContain("***@example.com");
    expect(line.body).toContain("1111");
  });

  it("a trace sent to the agent on its host reaches Jaeger with the host, whatever host the application claimed", async () => {
    const traceId = randomBytes(16).toString("hex");
    const now = BigInt(Date.now()) * 1_000_000n;
    const payload = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "edge-app" } }, { key: "host", value: { stringValue: "spoofed" } }] },
          scopeSpans: [{ spans: [{ traceId, spanId: traceId.slice(0, 16), name: "edge-op", kind: 2, startTimeUnixNano: String(now - 5_000_000n), endTimeUnixNano: String(now) }] }],
        },
      ],
    };
    const script = `fetch("http://127.0.0.1:4318/v1/traces", { method: "POST", headers: { "content-type": "application/json" }, body: ${JSON.stringify(JSON.stringify(payload))} }).then((r) => console.log(r.status))`;
    const sent = spawnSync("nsenter", [`--net=${NETNS}`, process.execPath, "-e", script], { encoding: "utf8" });
    expect(sent.stdout.trim()).toBe("200");
    let tags: Array<{ key: string; value: unknown }> = [];
    await waitFor("the agent's span in Jaeger", 60, async () => {
      const response = await fetch(`http://127.0.0.1:16686/jaeger/api/traces/${traceId}`);
      if (!response.ok) return false;
      const body = (await response.json()) as { data: Array<{ processes: Record<string, { tags: typeof tags }> }> };
      tags = Object.values(body.data[0]?.processes ?? {})[0]?.tags ?? [];
      return tags.length > 0;
    });
    expect(tags).toEqual(expect.arrayContaining([{ key: "host", type: "string", value: AGENT_HOST }, { key: "region", type: "string", value: "lab" }]));
    if (!lokiDoor) return;
    // traces.export: the same span at the user's OTLP backend, which takes it only with its token.
    await waitFor("the span at the user's trace backend", 60, async () => lokiDoor!.receivedSpans().some((span) => span.name === "edge-op"));
    expect(lokiDoor.receivedSpans().find((span) => span.name === "edge-op")!.resource).toMatchObject({ host: AGENT_HOST, "service.name": "edge-app" });
  });

  it("no token, a wrong one, or another host's token on this host's route: refused", () => {
    expect(fromAgentHost(`/agents/${AGENT_HOST}/v1/metrics`, TOKENS[AGENT_HOST])).toBe(200);
    expect(fromAgentHost(`/agents/${AGENT_HOST}/v1/metrics`, undefined)).toBe(401);
    expect(fromAgentHost(`/agents/${AGENT_HOST}/v1/metrics`, randomBytes(24).toString("base64url"))).toBe(401);
    expect(fromAgentHost(`/agents/${AGENT_HOST}/v1/metrics`, TOKENS[SILENT_HOST])).toBe(401);
    expect(fromAgentHost(`/agents/${SILENT_HOST}/v1/metrics`, TOKENS[AGENT_HOST])).toBe(401);
  });

  it("status shows each host's last report: the agent's recent, the silent host's none", () => {
    const run = central("status", "--json");
    const hosts = (JSON.parse(run.stdout) as { hosts: Array<{ host: string; state: string; lastReportAt: number | null }> }).hosts;
    expect(hosts.find((host) => host.host === AGENT_HOST)).toMatchObject({ state: "reporting" });
    expect(Date.now() / 1000 - hosts.find((host) => host.host === AGENT_HOST)!.lastReportAt!).toBeLessThan(60);
    expect(hosts.find((host) => host.host === SILENT_HOST)).toMatchObject({ state: "silent", lastReportAt: null });
  });

  it("the agent's cost on its host: memory of its containers", () => {
    const stats = agentDocker("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}").stdout.trim().split("\n");
    const mebibytes = Object.fromEntries(
      stats.map((line) => {
        const [name, usage] = [line.slice(0, line.indexOf(" ")), line.slice(line.indexOf(" ") + 1)];
        const [, value, unit] = /^([\d.]+)([KMG]i?B)/.exec(usage) ?? [];
        const factor = unit?.startsWith("G") ? 1024 : unit?.startsWith("K") ? 1 / 1024 : 1;
        return [name, Math.round(Number(value) * factor * 10) / 10];
      }),
    );
    measured["agent memory (MiB)"] = mebibytes;
    expect(Object.keys(mebibytes)).toHaveLength(3);
    for (const [name, value] of Object.entries(mebibytes)) expect(value, name).toBeGreaterThan(0);
  });

  it("the silent host and a stopped agent fire AgentHostDown at the webhook; the agent's return resolves it", async () => {
    await waitFor("AgentHostDown for the host that never reported", 180, async () => notified("firing", SILENT_HOST));
    // Before its agent started this host was silent too, and may have fired: only what follows the stop counts.
    await waitFor(`no AgentHostDown for ${AGENT_HOST} while its agent reports`, 180, async () => {
      const response = await fetch(`http://127.0.0.1:9093/api/v2/alerts?filter=${encodeURIComponent(`alertname="AgentHostDown"`)}&filter=${encodeURIComponent(`host="${AGENT_HOST}"`)}`);
      return (await prometheus(`ALERTS{alertname="AgentHostDown", host="${AGENT_HOST}"}`)).length === 0 && ((await response.json()) as unknown[]).length === 0;
    });
    const down = onAgentHost(["agent", "--host", AGENT_HOST, "--down"]);
    expect(down.status, down.stdout + down.stderr).toBe(0);
    const stopped = Date.now();
    const sinceStop = sink.received.length;
    await waitFor(`AgentHostDown for ${AGENT_HOST}`, 180, async () => notified("firing", AGENT_HOST, sinceStop));
    measured["AgentHostDown delivered after the agent stopped (s)"] = (Date.now() - stopped) / 1000;
    const again = onAgentHost(["agent", "--host", AGENT_HOST]);
    expect(again.status, again.stdout + again.stderr).toBe(0);
    const restarted = Date.now();
    const sinceRestart = sink.received.length;
    await waitFor(`AgentHostDown RESOLVED for ${AGENT_HOST}`, 180, async () => notified("resolved", AGENT_HOST, sinceRestart));
    measured["AgentHostDown RESOLVED after the agent started again (s)"] = (Date.now() - restarted) / 1000;
  });
});
