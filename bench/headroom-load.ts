/**
 * The headroom bench's load: telemetrygen (the pinned Collector's, test/e2e/load-client.ts) sending
 * one signal at a given rate for a given time over OTLP/gRPC to the Collector's published port,
 * spread over enough processes and workers that the client is not what limits the rate.
 */
import { performance } from "node:perf_hooks";
import { COLLECTOR_GRPC, runTelemetrygen } from "../test/e2e/load-client.ts";

export const SIGNALS = ["spans", "points", "logs"] as const;
export type Signal = (typeof SIGNALS)[number];

/**
 * A worker's rate at most: Go's rate limiter (burst 1) overshoots short waits, so one worker asked
 * for 2,500 a second took 7.5 s for 5 s of load; at 500 a second it keeps to the rate.
 */
const WORKER_RATE = 500;
/**
 * A process's rate at most. telemetrygen's span processor drops spans once 2,048 wait for export:
 * at 4,000 a second that is half a second of slack when the Collector answers slowly.
 */
const PROCESS_RATE = 4_000;
/**
 * Metric points a worker sends at most: with --unique-timeseries telemetrygen adds an attribute per
 * point to a list it keeps for the worker's life, so a worker's CPU grows with the square of its
 * points (40,000 points: 10.5 s of CPU; 4 workers of 10,000: 2.7 s).
 */
const POINTS_PER_WORKER = 2_500;

export interface LoadPlan {
  processes: number;
  /** Per process. */
  workers: number;
  ratePerWorker: number;
  /** Items each worker sends (for spans: traces of a parent and a child, so twice its traces). */
  perWorker: number;
  /** Exactly what the whole load sends. */
  total: number;
}

export function loadPlan(signal: Signal, rate: number, seconds: number): LoadPlan {
  const wanted = rate * seconds;
  const allWorkers = Math.max(Math.ceil(rate / WORKER_RATE), signal === "points" ? Math.ceil(wanted / POINTS_PER_WORKER) : 1);
  const processes = Math.ceil(rate / PROCESS_RATE);
  const workers = Math.ceil(allWorkers / processes);
  const perWorkerExact = wanted / (processes * workers);
  const perWorker = signal === "spans" ? 2 * Math.max(1, Math.round(perWorkerExact / 2)) : Math.max(1, Math.round(perWorkerExact));
  return { processes, workers, ratePerWorker: rate / (processes * workers), perWorker, total: perWorker * processes * workers };
}

/**
 * telemetrygen's arguments for one process. Each process has a service name of its own: with
 * --unique-timeseries a process numbers the points of each second (attribute `timebox`), so two
 * processes would otherwise write the same series at the same moment.
 */
export function telemetrygenArgs(signal: Signal, plan: LoadPlan, service: string): string[] {
  const common = ["--otlp-endpoint", COLLECTOR_GRPC, "--otlp-insecure", "--service", service, "--workers", String(plan.workers), "--rate", String(plan.ratePerWorker)];
  switch (signal) {
    // Batches of 512, the OpenTelemetry SDKs' default for spans and log records.
    case "spans":
      return ["traces", ...common, "--traces", String(plan.perWorker / 2), "--child-spans", "1", "--batch-size", "512"];
    case "logs":
      return ["logs", ...common, "--logs", String(plan.perWorker), "--batch-size", "512"];
    // Every point of a second gets a series of its own (Prometheus keeps one sample per series and
    // millisecond), and a series gets its next point a second later, maybe from another worker: a
    // worker's batch holds at most a fifth of a second of its points, so the second point is never
    // sent before the first (Prometheus refuses a sample older than its series' newest).
    case "points":
      return [
        "metrics",
        ...common,
        "--metrics",
        String(plan.perWorker),
        "--metric-type",
        "Sum",
        "--aggregation-temporality",
        "cumulative",
        "--otlp-metric-name",
        "obs_bench_headroom",
        "--unique-timeseries",
        "--batch-size",
        String(Math.max(1, Math.floor(plan.ratePerWorker / 5))),
      ];
  }
}

export interface RunningLoad {
  plan: LoadPlan;
  running(): boolean;
  /** Seconds from the first spawn until the last process exited, and the first failure's message. */
  finished: Promise<{ seconds: number; error: string | undefined }>;
}

/**
 * The line of a failed telemetrygen's output that says why: its last error or fatal line (it logs a
 * line per batch, so the output's tail alone is mostly those), else its last line.
 */
export function clientFailure(message: string): string {
  const lines = message.split("\n").filter((line) => line.trim() !== "");
  const error = lines.filter((line) => /\b(FATAL|ERROR|fatal|error)\b/.test(line)).at(-1);
  return (error ?? lines.at(-1) ?? message).trim();
}

export function startSignalLoad(signal: Signal, rate: number, seconds: number, service: string): RunningLoad {
  const plan = loadPlan(signal, rate, seconds);
  const started = performance.now();
  const clients = Array.from({ length: plan.processes }, (_, index) => runTelemetrygen(telemetrygenArgs(signal, plan, `${service}-${index}`)));
  const finished = Promise.allSettled(clients.map((client) => client.done)).then((outcomes) => ({
    seconds: (performance.now() - started) / 1000,
    error: outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [clientFailure((outcome.reason as Error).message)] : []))[0],
  }));
  return { plan, running: () => clients.some((client) => client.running()), finished };
}
