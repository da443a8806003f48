/**
 * The stack served beyond localhost, through the proxy (components.proxy): one boot of the
 * components it routes to, then, from outside the stack's network, what a remote client meets.
 * TLS is real TLS (a certificate from Caddy's internal CA, verified against the root exported from
 * the container; plain HTTP refused); no route answers without credentials; with them the
 * Prometheus and Alertmanager APIs answer through it, and Jaeger's UI under its prefix; OTLP over
 * HTTP and gRPC is refused without the token (checked by the Collector, which the proxy never tells
 * it) and accepted with it, and the spans reach Jaeger, while local senders need no token.
 */
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { connect } from "node:tls";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { otlpSpan } from "../../scripts/stack/checks/otlp-payloads.ts";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { execWithInput } from "../../scripts/stack/runtime/docker.ts";
import { testToolPath } from "../testbed/test-tools.ts";
import { runCli, type CliRun } from "../helpers/run-cli.ts";
import { PROXY_PORT } from "./exposure.e2e.config.ts";
import { IMAGE_SET, e2eContainer, proxyCaRoot, stackAvailable, waitFor } from "./helpers.ts";

const CONFIG = join(REPO_ROOT, "test", "e2e", "exposure.e2e.config.ts");
// Its own bundle directory, apart from stack.test.ts's.
const OUT = join(tmpdir(), "obs-e2e-exposure");
const HOST = "localhost";
const USER = "admin";
/** What `generate` writes into .env, given here through the environment (which wins over .env). */
const CREDENTIALS = { PROXY_PASSWORD: randomBytes(24).toString("base64url"), PROXY_OTLP_TOKEN: randomBytes(24).toString("base64url") };
const cli = (...args: string[]): CliRun => runCli(REPO_ROOT, [...args, "--config", CONFIG, "--out", OUT], CREDENTIALS);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request to the proxy, trusting only the CA exported from it. */
function proxyRequest(ca: string | undefined, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", servername: HOST, port: PROXY_PORT, path, method: options.method ?? "GET", headers: options.headers, ca, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Jaeger on its loopback port, under the base path it has while the proxy runs. */
const JAEGER = "http://127.0.0.1:16686/jaeger";

async function spansOf(service: string): Promise<number> {
  const response = await fetch(`${JAEGER}/api/traces?service=${service}&limit=20`);
  const body = (await response.json()) as { data: Array<{ spans: unknown[] }> | null };
  return (body.data ?? []).reduce((count, trace) => count + trace.spans.length, 0);
}

describe(`the stack served through the proxy (${IMAGE_SET} images)`, () => {
  let ca = "";

  beforeAll(async () => {
    expect(stackAvailable(), "the testbed's image overlay: run `npm run testbed` first").toBe(true);
    cli("down", "--volumes", "--yes");
    const up = cli("up");
    expect(up.status, up.stdout + up.stderr).toBe(0);
    ca = await proxyCaRoot();
  });
  afterAll(() => {
    cli("down", "--volumes", "--yes");
    rmSync(OUT, { recursive: true, force: true });
  });

  it("TLS is real TLS: TLS 1.3 with a certificate for the host name from the internal CA, and plain HTTP is refused", async () => {
    const socket = connect({ host: "127.0.0.1", port: PROXY_PORT, servername: HOST, ca });
    await new Promise<void>((resolve, reject) => socket.once("secureConnect", resolve).once("error", reject));
    expect(socket.authorized).toBe(true);
    expect(socket.getProtocol()).toBe("TLSv1.3");
    expect(socket.getPeerCertificate().subjectaltname).toBe(`DNS:${HOST}`);
    socket.end();
    // Without the exported root the certificate is not trusted.
    await expect(proxyRequest(undefined, "/prometheus/")).rejects.toThrow(/certificate/);
    const plain = await fetch(`http://127.0.0.1:${PROXY_PORT}/prometheus/`);
    expect(plain.status).toBe(400);
  });

  it("Caddy runs as its own non-root user with no capability at all, its state written to its volume", async () => {
    const proxy = await e2eContainer("proxy");
    const status = await execWithInput(proxy.id, ["cat", "/proc/1/status"], "");
    expect(status.exitCode).toBe(0);
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "m").exec(status.output)?.[1]?.trim();
    expect(field("Name")).toBe("caddy");
    expect(field("Uid")?.split(/\s+/)).toEqual(["65532", "65532", "65532", "65532"]);
    for (const set of ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"]) expect(field(set), set).toBe("0000000000000000");
    // The CA it made (read in beforeAll) is in the volume, as its user's.
    const owner = await execWithInput(proxy.id, ["ls", "-ln", "/data/obs-stack/caddy/pki/authorities/local/"], "");
    expect(owner.output).toMatch(/^-\S+\s+\d+\s+65532\s+65532\s.*root\.crt$/m);
  });

  it("no route answers without credentials, nor with wrong ones", async () => {
    const paths = [
      "/",
      "/prometheus/",
      "/prometheus/api/v1/query?query=up",
      "/prometheus",
      "/alertmanager/api/v2/status",
      "/jaeger/api/services",
      "/pushgateway/metrics",
      "/otlp/v1/traces",
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
      "/anything-else",
      ...(IMAGE_SET === "official" ? [] : ["/grafana/"]),
    ];
    for (const path of paths) {
      expect((await proxyRequest(ca, path)).status, path).toBe(401);
      expect((await proxyRequest(ca, path, { headers: basic(USER, "wrong") })).status, `${path} with a wrong password`).toBe(401);
    }
    expect((await proxyRequest(ca, "/prometheus/")).headers["www-authenticate"]).toBe('Basic realm="obs-stack"');
    // The OTLP token is not a password, and the password is not the OTLP token.
    expect((await proxyRequest(ca, "/prometheus/api/v1/status/buildinfo", { headers: bearer(CREDENTIALS.PROXY_OTLP_TOKEN) })).status).toBe(401);
    expect((await proxyRequest(ca, "/otlp/v1/traces", { method: "POST", headers: basic(USER, CREDENTIALS.PROXY_PASSWORD) })).status).toBe(401);
  });

  it.runIf(IMAGE_SET === "official")("Grafana's route reaches Grafana's own login", async () => {
    const login = await proxyRequest(ca, "/grafana/login");
    expect(login.status).toBe(200);
    // Its links carry the prefix: root_url is the proxy's URL.
    expect(login.body).toContain("/grafana/");
  });

  it("with the credentials, the Prometheus and Alertmanager APIs answer through the proxy, and know their external URLs", async () => {
    const auth = basic(USER, CREDENTIALS.PROXY_PASSWORD);
    const query = await proxyRequest(ca, "/prometheus/api/v1/query?query=up", { headers: auth });
    expect(query.status).toBe(200);
    expect(JSON.parse(query.body)).toMatchObject({ status: "success" });
    const flags = JSON.parse((await proxyRequest(ca, "/prometheus/api/v1/status/flags", { headers: auth })).body) as { data: Record<string, string> };
    expect(flags.data["web.external-url"]).toBe(`https://${HOST}:${PROXY_PORT}/prometheus/`);
    const status = await proxyRequest(ca, "/alertmanager/api/v2/status", { headers: auth });
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({ cluster: { status: "disabled" } });
    expect((await proxyRequest(ca, "/prometheus", { headers: auth })).headers.location).toBe("/prometheus/");
    // The loopback ports the CLI uses still answer at their root.
    expect((await fetch("http://127.0.0.1:9090/-/ready")).status).toBe(200);
    // Prometheus scrapes the proxy's own metrics (on the stack's network only) like any component's.
    await waitFor("the proxy's scrape target up", 60, async () => {
      const up = await proxyRequest(ca, `/prometheus/api/v1/query?query=${encodeURIComponent('up{job="proxy"}')}`, { headers: auth });
      return (JSON.parse(up.body) as { data: { result: Array<{ value: [number, string] }> } }).data.result[0]?.value[1] === "1";
    });
  });

  it("OTLP over HTTP: refused without the token, accepted with it, and the span reaches Jaeger", async () => {
    const traceId = randomBytes(16).toString("hex");
    const body = JSON.stringify(otlpSpan(traceId, "exposure-http"));
    const post = (headers: Record<string, string>) =>
      proxyRequest(ca, "/otlp/v1/traces", { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
    expect((await post({})).status).toBe(401);
    expect((await post(bearer("not-the-token"))).status).toBe(401);
    expect((await post(bearer(`${CREDENTIALS.PROXY_OTLP_TOKEN}x`))).status).toBe(401);
    expect((await post(bearer(CREDENTIALS.PROXY_OTLP_TOKEN))).status).toBe(200);
    await waitFor("the span in Jaeger", 60, async () => {
      const response = await fetch(`${JAEGER}/api/traces/${traceId}`);
      return response.status === 200;
    });
  });

  it("the OTLP token is the Collector's to check: the proxy's container does not hold it, and local senders on loopback need none", async () => {
    const proxy = await e2eContainer("proxy");
    const environment = await execWithInput(proxy.id, ["cat", "/proc/1/environ"], "");
    expect(environment.exitCode).toBe(0);
    expect(environment.output).not.toContain("PROXY_OTLP_TOKEN");
    expect(environment.output).not.toContain(CREDENTIALS.PROXY_OTLP_TOKEN);
    const traceId = randomBytes(16).toString("hex");
    const local = await fetch("http://127.0.0.1:4318/v1/traces", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(otlpSpan(traceId, "exposure-local")),
    });
    expect(local.status).toBe(200);
    await waitFor("the local span in Jaeger", 60, async () => (await fetch(`${JAEGER}/api/traces/${traceId}`)).status === 200);
  });

  it("Jaeger's UI works under /jaeger/: its page links its assets there, with the credentials only", async () => {
    const auth = basic(USER, CREDENTIALS.PROXY_PASSWORD);
    expect((await proxyRequest(ca, "/jaeger/")).status).toBe(401);
    const index = await proxyRequest(ca, "/jaeger/", { headers: auth });
    expect(index.status).toBe(200);
    expect(index.body).toContain('<base href="/jaeger/"');
    // A page of the single-page app, as a browser reloads it.
    const search = await proxyRequest(ca, "/jaeger/search", { headers: auth });
    expect(search.status).toBe(200);
    expect(search.body).toContain('<base href="/jaeger/"');
    // The stand-in is built without the UI's assets (a placeholder page names none); the official image has them.
    const assets = [...index.body.matchAll(/(?:src|href)="(?:\.\/|\/jaeger\/)?(static\/[^"]+)"/g)].map((match) => `/jaeger/${match[1]}`);
    expect(assets.length > 0, assets.join(" ")).toBe(IMAGE_SET === "official");
    if (assets.length > 0) {
      const asset = await proxyRequest(ca, assets[0]!, { headers: auth });
      expect(asset.status, assets[0]).toBe(200);
      expect(asset.headers["content-type"]).toMatch(/javascript|css/);
      expect((await proxyRequest(ca, assets[0]!)).status).toBe(401);
    }
  });

  it("OTLP over gRPC (h2, the collector's service paths): refused without the token, accepted with it", async () => {
    const caFile = join(tmpdir(), `obs-e2e-proxy-ca-${process.pid}.crt`);
    writeFileSync(caFile, ca);
    const send = (service: string, headers: string[]) =>
      spawnSync(
        testToolPath("telemetrygen"),
        ["traces", "--otlp-endpoint", `${HOST}:${PROXY_PORT}`, "--ca-cert", caFile, "--traces", "2", "--service", service, ...headers.flatMap((header) => ["--otlp-header", header])],
        { encoding: "utf8", timeout: 60_000 },
      );
    for (const headers of [[], ['Authorization="Bearer not-the-token"']]) {
      const refused = send("exposure-grpc-refused", headers);
      expect(refused.stderr, headers.join(" ")).toMatch(/rpc error: code = Unauthenticated/);
    }
    const accepted = send("exposure-grpc", [`Authorization="Bearer ${CREDENTIALS.PROXY_OTLP_TOKEN}"`]);
    expect(accepted.status, accepted.stderr).toBe(0);
    await waitFor("the gRPC spans in Jaeger", 60, async () => (await spansOf("exposure-grpc")) >= 2);
    expect(await spansOf("exposure-grpc-refused")).toBe(0);
  });
});
