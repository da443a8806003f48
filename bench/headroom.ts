/**
 * Headroom: spans and metric points sent by a real OTLP client (telemetrygen, test/e2e/load-client.ts)
 * at rising rates, each step measured through the components' own counters — the Collector's
 * accepted, refused and failed items and its sending queues, Jaeger's accepted spans, Prometheus's
 * appended samples — until a step refuses, fails, cannot drain its queues or cannot be sent at the
 * asked rate. The highest step before that is the sustained rate the stack takes on this machine.
 */
import { performance } from "node:perf_hooks";
import { getJson } from "../scripts/stack/checks/http.ts";
import { docker } from "../scripts/stack/runtime/docker.ts";
import { startLoad } from "../test/e2e/load-client.ts";
import { workingSetBytes, type EngineStats } from "./footprint.ts";
import type { StackSession } from "./stack-session.ts";

/** Counters summed over their series; absent series count 0 (`or vector(0)`). */
const COUNTERS = {
  acceptedSpans: 'otelcol_receiver_accepted_spans{job="otel-collector", receiver="otlp"}',
  refusedSpans: 'otelcol_receiver_refused_spans{job="otel-collector", receiver="otlp"}',
  acceptedPoints: 'otelcol_receiver_accepted_metric_points{job="otel-collector", receiver="otlp"}',
  refusedPoints: 'otelcol_receiver_refused_metric_points{job="otel-collector", receiver="otlp"}',
  failed: '{job="otel-collector", __name__=~"otelcol_exporter_(send|enqueue)_failed_(spans|metric_points)"}',
  // Jaeger's Prometheus reader keeps the _total suffix that the Collector's drops (see rules/otelcol.yml).
  jaegerAccepted: '{__name__="otelcol_receiver_accepted_spans_total", job="jaeger"}',
  samplesAppended: 'prometheus_tsdb_head_samples_appended_total{job="prometheus"}',
} as const;
type Counters = Record<keyof typeof COUNTERS, number>;
const QUEUE = 'otelcol_exporter_queue_size{job="otel-collector", data_type=~"traces|metrics"}';

export interface HeadroomStep {
  /** Asked of each stream (spans, metric points), items a second. */
  rate: number;
  seconds: number;
  /** What the client sent per stream, and the rate it achieved (its run time included). */
  sent: number;
  achievedRate: number;
  clientError: string | undefined;
  /** Deltas of the counters over the step, its drain included. */
  delta: Counters;
  /** The largest the Collector's trace and metric queues were seen during the step. */
  maxQueue: number;
  /** From the end of the load until the queues were seen empty in a scrape. */
  drainSeconds: number | undefined;
  ok: boolean;
  /** Why not, when not. */
  problems: string[];
}

export interface HeadroomResult {
  stepSeconds: number;
  steps: HeadroomStep[];
  /** The highest rate of a step that passed, with every step below it passed too. */
  sustainedRate: number | undefined;
  /** Each container's largest working set seen during the steps (every 5 s), MiB. */
  peakWorkingSetMb: Record<string, number>;
}

async function promValue(query: string): Promise<number> {
  const body = await getJson<{ data: { result: Array<{ value: [number, string] }> } }>(`http://127.0.0.1:9090/api/v1/query?query=${encodeURIComponent(query)}`);
  return Number(body.data.result[0]?.value[1] ?? 0);
}

async function counters(): Promise<Counters> {
  const entries = await Promise.all(Object.entries(COUNTERS).map(async ([name, selector]) => [name, await promValue(`sum(${selector}) or vector(0)`)] as const));
  return Object.fromEntries(entries) as Counters;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits out one scrape interval so the counters include everything up to now. */
const SCRAPE_WAIT_MS = 17_000;

/** Step verdict, from its numbers alone. */
export function stepProblems(step: Omit<HeadroomStep, "ok" | "problems">): string[] {
  const problems: string[] = [];
  if (step.clientError) problems.push(`the client failed: ${step.clientError.slice(0, 200)}`);
  if (step.delta.refusedSpans > 0 || step.delta.refusedPoints > 0) problems.push(`the Collector refused ${step.delta.refusedSpans} spans and ${step.delta.refusedPoints} points`);
  if (step.delta.failed > 0) problems.push(`the Collector failed to send or enqueue ${step.delta.failed} items`);
  if (step.delta.acceptedSpans < step.sent || step.delta.acceptedPoints < step.sent) problems.push(`the Collector accepted ${step.delta.acceptedSpans} spans and ${step.delta.acceptedPoints} points of ${step.sent} each`);
  if (step.delta.jaegerAccepted < step.sent) problems.push(`Jaeger accepted ${step.delta.jaegerAccepted} spans of ${step.sent}`);
  if (step.drainSeconds === undefined) problems.push("the Collector's queues did not drain within 2 minutes (a backend lags)");
  if (step.achievedRate < 0.9 * step.rate) problems.push(`the client reached ${Math.round(step.achievedRate)} a second of the ${step.rate} asked (this machine's 2 cores run the client and the stack)`);
  return problems;
}

export async function measureHeadroom(session: StackSession, rates: readonly number[], stepSeconds: number, log: (line: string) => void): Promise<HeadroomResult> {
  await session.cli("up");
  // The stack's own traffic (the demo) settles into the counters' baseline first.
  await sleep(SCRAPE_WAIT_MS);
  const peaks = watchPeaks(await session.containers());
  try {
    return { stepSeconds, ...(await runSteps(rates, stepSeconds, log)), peakWorkingSetMb: peaks.peaks };
  } finally {
    await peaks.stop();
  }
}

/** Samples every container's working set every 5 s in the background, keeping each one's largest. */
function watchPeaks(containers: Array<{ id: string; service: string }>): { peaks: Record<string, number>; stop(): Promise<void> } {
  const peaks: Record<string, number> = {};
  let running = true;
  const loop = (async () => {
    while (running) {
      await Promise.all(
        containers.map(async ({ id, service }) => {
          const stats = (await docker().getContainer(id).stats({ stream: false }).catch(() => undefined)) as EngineStats | undefined;
          if (stats) peaks[service] = Math.max(peaks[service] ?? 0, workingSetBytes(stats) / 1024 / 1024);
        }),
      );
      await sleep(5_000);
    }
  })();
  return {
    peaks,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

async function runSteps(rates: readonly number[], stepSeconds: number, log: (line: string) => void): Promise<Pick<HeadroomResult, "steps" | "sustainedRate">> {
  const steps: HeadroomStep[] = [];
  for (const rate of rates) {
    const before = await counters();
    const sent = rate * stepSeconds;
    const load = startLoad(`bench-headroom-${rate}-${Date.now()}`, sent, rate);
    const started = performance.now();
    let maxQueue = 0;
    let clientError: string | undefined;
    const finished = load.done.then(
      () => undefined,
      (error: Error) => (clientError = error.message),
    );
    while (load.running()) {
      maxQueue = Math.max(maxQueue, await promValue(`sum(${QUEUE}) or vector(0)`).catch(() => 0));
      await Promise.race([finished, sleep(5_000)]);
    }
    await finished;
    const loadSeconds = (performance.now() - started) / 1000;
    const ended = performance.now();
    let drainSeconds: number | undefined;
    while (performance.now() - ended < 120_000) {
      await sleep(5_000);
      const queue = await promValue(`sum(${QUEUE}) or vector(0)`);
      maxQueue = Math.max(maxQueue, queue);
      if (queue === 0 && performance.now() - ended >= SCRAPE_WAIT_MS) {
        drainSeconds = (performance.now() - ended) / 1000;
        break;
      }
    }
    await sleep(SCRAPE_WAIT_MS);
    const after = await counters();
    const delta = Object.fromEntries(Object.keys(COUNTERS).map((name) => [name, after[name as keyof Counters] - before[name as keyof Counters]])) as Counters;
    const measured = { rate, seconds: loadSeconds, sent, achievedRate: sent / loadSeconds, clientError, delta, maxQueue, drainSeconds };
    const problems = stepProblems(measured);
    steps.push({ ...measured, ok: problems.length === 0, problems });
    log(`  ${rate}/s: ${problems.length === 0 ? "ok" : problems.join("; ")} (sent ${sent} in ${loadSeconds.toFixed(1)} s, queue max ${maxQueue})`);
    if (problems.length > 0) break;
  }
  const firstFailed = steps.findIndex((step) => !step.ok);
  const passed = firstFailed === -1 ? steps : steps.slice(0, firstFailed);
  return { steps, sustainedRate: passed.at(-1)?.rate };
}
