/**
 * "Loki's door" on the testbed, where Loki itself is not booted: a second Collector from the same
 * pinned build listens where Loki's OTLP endpoint would (`<url>/otlp/v1/logs`) and writes every
 * request it receives to a file, so the tests can assert on exactly what Loki would have received.
 * The stack reaches it as an existing Loki, through `logs.loki.url` — the feature users with a Loki
 * of their own use.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { cachedToolPath } from "../../scripts/stack/runtime/tool-resolver.ts";
import { waitFor } from "./helpers.ts";
import { LOKI_DOOR_PORT } from "./loki-door-address.ts";


/** One log record as Loki would index it: resource attributes (labels), record attributes (structured metadata). */
export interface ReceivedLog {
  resource: Record<string, string>;
  attributes: Record<string, string>;
  body: string;
  severityText: string | undefined;
}

export interface LokiDoor {
  received(): ReceivedLog[];
  stop(): Promise<void>;
  /** With `traces`: the spans received at /v1/traces, as a trace backend of the user's would. */
  receivedSpans(): ReceivedSpan[];
}

export interface ReceivedSpan {
  resource: Record<string, string>;
  name: string;
}

export interface LokiDoorOptions {
  /** Every request must carry "Authorization: Bearer <token>", as a hosted Loki or trace backend wants. */
  bearerToken?: string;
  /** Also an OTLP trace backend (traces.export), recording to a file of its own. */
  traces?: boolean;
  /**
   * Serves the door's own counters (otelcol_receiver_accepted_log_records…) on 127.0.0.1 at this
   * port: the bench counts what the door took without reading its growing file back.
   */
  metricsPort?: number;
}

/** Starts the recording receiver on the Docker bridge's gateway address, where host-gateway points. */
export async function startLokiDoor(listenAddress: string, options: LokiDoorOptions = {}): Promise<LokiDoor> {
  const dir = mkdtempSync(join(tmpdir(), "obs-e2e-loki-door-"));
  const output = join(dir, "received.jsonl");
  const spansOutput = join(dir, "spans.jsonl");
  const auth = options.bearerToken ? { auth: { authenticator: "bearertokenauth" } } : {};
  const config = {
    ...(options.bearerToken ? { extensions: { bearertokenauth: { tokens: [options.bearerToken] } } } : {}),
    receivers: { otlp: { protocols: { http: { endpoint: `${listenAddress}:${LOKI_DOOR_PORT}`, logs_url_path: "/otlp/v1/logs", ...auth } } } },
    exporters: { file: { path: output, flush_interval: "100ms" }, ...(options.traces ? { "file/traces": { path: spansOutput, flush_interval: "100ms" } } : {}) },
    service: {
      ...(options.bearerToken ? { extensions: ["bearertokenauth"] } : {}),
      telemetry: {
        metrics: options.metricsPort
          ? { level: "basic", readers: [{ pull: { exporter: { prometheus: { host: "127.0.0.1", port: options.metricsPort } } } }] }
          : { level: "none" },
      },
      pipelines: { logs: { receivers: ["otlp"], exporters: ["file"] }, ...(options.traces ? { traces: { receivers: ["otlp"], exporters: ["file/traces"] } } : {}) },
    },
  };
  writeFileSync(join(dir, "config.yaml"), stringify(config));
  const child: ChildProcess = spawn(cachedToolPath("otelcol"), ["--config", join(dir, "config.yaml")], { stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let ready = false;
  let stderrTail = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    ready ||= chunk.includes("Everything is ready");
    stderrTail = (stderrTail + chunk).slice(-4000);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor("the Loki door to listen", 30, async () => {
      if (child.exitCode !== null) throw new Error(`the recording receiver exited: ${stderrTail}`);
      return ready;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    received: () => (existsSync(output) ? parseReceived(readFileSync(output, "utf8")) : []),
    receivedSpans: () => (existsSync(spansOutput) ? parseSpans(readFileSync(spansOutput, "utf8")) : []),
    stop,
  };
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpLogsJson {
  resourceLogs: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeLogs: Array<{ logRecords: Array<{ body?: OtlpValue; attributes?: OtlpAttribute[]; severityText?: string }> }>;
  }>;
}

const flatten = (attributes: OtlpAttribute[] | undefined): Record<string, string> =>
  Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, String(value.stringValue ?? value.intValue ?? value.boolValue ?? "")]));

/** The file exporter writes a request and its newline separately: a last line without one is still being written. */
const completeLines = (text: string) => text.slice(0, text.lastIndexOf("\n") + 1).split("\n").filter(Boolean);

interface OtlpTracesJson {
  resourceSpans: Array<{ resource?: { attributes?: OtlpAttribute[] }; scopeSpans: Array<{ spans: Array<{ name: string }> }> }>;
}

function parseSpans(text: string): ReceivedSpan[] {
  return completeLines(text).flatMap((line) =>
    (JSON.parse(line) as OtlpTracesJson).resourceSpans.flatMap((resourceSpan) =>
      resourceSpan.scopeSpans.flatMap((scope) => scope.spans.map((span) => ({ resource: flatten(resourceSpan.resource?.attributes), name: span.name }))),
    ),
  );
}

function parseReceived(text: string): ReceivedLog[] {
  return completeLines(text)
    .flatMap((line) =>
      (JSON.parse(line) as OtlpLogsJson).resourceLogs.flatMap((resourceLog) =>
        resourceLog.scopeLogs.flatMap((scope) =>
          scope.logRecords.map((record) => ({
            resource: flatten(resourceLog.resource?.attributes),
            attributes: flatten(record.attributes),
            body: record.body?.stringValue ?? "",
            severityText: record.severityText,
          })),
        ),
      ),
    );
}
