/**
 * A known set of spans and counter points sent to the stack's Collector by a real OTLP client —
 * telemetrygen from the Collector contrib at the pinned version (test/testbed/test-tools.ts) — and
 * how much of that set Jaeger and Prometheus hold, counted exactly: the run has a service name of
 * its own, and whatever a retry delivered twice counts once.
 */
import { spawn } from "node:child_process";
import { getJson } from "../../scripts/stack/checks/http.ts";
import { testToolPath } from "../testbed/test-tools.ts";

/** The Collector's OTLP/gRPC receiver, as the e2e stack publishes it. */
export const COLLECTOR_GRPC = "127.0.0.1:4317";
const METRIC = "obs_e2e_delivery";

export interface Load {
  /** service.name of every span and point. */
  service: string;
  spans: number;
  points: number;
  /**
   * Resolves once both clients have exited 0. The metrics client exits non-zero when a point was not
   * acknowledged (after its SDK's retries); the traces client only logs that, so the count shows it.
   */
  done: Promise<void>;
  running(): boolean;
  stop(): void;
}

/**
 * Sends `spans` spans (traces of a parent and one child) and as many counter points, each stream at
 * `rate` items a second: spans / rate seconds. The points of one second go to series of their own
 * (--unique-timeseries): telemetrygen can stamp two points with one millisecond, and Prometheus keeps
 * one sample per series and millisecond.
 */
export function startLoad(service: string, spans: number, rate: number): Load {
  const common = ["--otlp-endpoint", COLLECTOR_GRPC, "--otlp-insecure", "--service", service, "--rate", String(rate)];
  const clients = [
    runTelemetrygen(["traces", ...common, "--traces", String(spans / 2), "--child-spans", "1"]),
    runTelemetrygen(["metrics", ...common, "--metrics", String(spans), "--metric-type", "Sum", "--aggregation-temporality", "cumulative", "--otlp-metric-name", METRIC, "--batch=false", "--unique-timeseries"]),
  ];
  return {
    service,
    spans,
    points: spans,
    done: Promise.all(clients.map((c) => c.done)).then(() => undefined),
    running: () => clients.some((c) => c.running()),
    stop: () => clients.forEach((c) => c.stop()),
  };
}

/** One telemetrygen process: `done` rejects with its output's tail when it exits non-zero. */
export function runTelemetrygen(args: string[]): { done: Promise<void>; running(): boolean; stop(): void } {
  const child = spawn(testToolPath("telemetrygen"), args, { stdio: ["ignore", "pipe", "pipe"] });
  let tail = "";
  const keep = (chunk: string) => (tail = (tail + chunk).slice(-4000));
  child.stdout.setEncoding("utf8").on("data", keep);
  child.stderr.setEncoding("utf8").on("data", keep);
  const running = () => child.exitCode === null && child.signalCode === null;
  const done = new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`telemetrygen ${args[0]} exited with ${code ?? signal}: ${tail}`))));
  });
  // A failed run is reported through `done` by whoever awaits it, not as an unhandled rejection.
  done.catch(() => undefined);
  const stop = () => {
    if (running()) child.kill("SIGTERM");
  };
  return { done, running, stop };
}

/** The run's distinct spans in Jaeger. */
export async function spansInJaeger(load: Load): Promise<number> {
  const end = Date.now() * 1000;
  const params = new URLSearchParams({ service: load.service, limit: String(load.spans), start: String(end - 3_600_000_000), end: String(end) });
  const body = await getJson<{ data: Array<{ spans: Array<{ spanID: string }> }> | null }>(`http://127.0.0.1:16686/api/traces?${params}`);
  return new Set((body.data ?? []).flatMap((trace) => trace.spans.map((span) => span.spanID))).size;
}

/** The run's samples in Prometheus, over all its series: one per point (a point written twice is one sample). */
export async function pointsInPrometheus(load: Load): Promise<number> {
  // By name prefix: Prometheus adds the counter's suffix (_total) to the OTLP name.
  const query = `sum(count_over_time({__name__=~"${METRIC}.*", job="${load.service}"}[1h]))`;
  const body = await getJson<{ data: { result: Array<{ value: [number, string] }> } }>(`http://127.0.0.1:9090/api/v1/query?query=${encodeURIComponent(query)}`);
  return Number(body.data.result[0]?.value[1] ?? 0);
}
