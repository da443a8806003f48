/**
 * Headroom: for each signal (spans, metric points, log records) alone, a real OTLP client
 * (telemetrygen, bench/headroom-load.ts) sends at rising rates until a step falls short, then the
 * rate between the last step passed and the first failed is tried, as often as planned. Every step is measured by
 * the components' own counters, read from their metrics endpoints every second: the Collector's
 * accepted, refused and failed items and its sending queue to the signal's backend, what that
 * exporter sent, and what the backend itself counted (Jaeger's accepted spans, Prometheus's appended
 * samples, the Loki door's accepted log records). The highest step passed is the sustained rate.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { docker } from "../scripts/stack/runtime/docker.ts";
import { busyBetween, parseProcStat, scrape, sumSamples, type CpuTimes } from "./exposition.ts";
import { cpuCoresBetween, workingSetBytes, type EngineStats } from "./footprint.ts";
import { startSignalLoad, type LoadPlan, type Signal } from "./headroom-load.ts";
import type { StackSession } from "./stack-session.ts";

export type Source = "collector" | "jaeger" | "prometheus" | "door";

interface SignalSpec {
  /** The Collector's word for the items in its counters' names. */
  items: "spans" | "metric_points" | "log_records";
  /** The Collector's exporter to the signal's backend. */
  exporter: string;
  /** The backend's own count of what it took, and what it is. */
  backend: { source: Source; metric: string; labels: Record<string, string>; name: string; what: string };
}

const SPECS: Record<Signal, SignalSpec> = {
  spans: { items: "spans", exporter: "otlp_grpc/jaeger", backend: { source: "jaeger", metric: "otelcol_receiver_accepted_spans", labels: {}, name: "Jaeger", what: "Jaeger accepted" } },
  points: { items: "metric_points", exporter: "otlp_http/prometheus", backend: { source: "prometheus", metric: "prometheus_tsdb_head_samples_appended_total", labels: {}, name: "Prometheus", what: "Prometheus appended" } },
  logs: { items: "log_records", exporter: "otlp_http/loki", backend: { source: "door", metric: "otelcol_receiver_accepted_log_records", labels: { receiver: "otlp" }, name: "Loki door", what: "the Loki door accepted" } },
};

/** Counter deltas over a step, its drain included. */
export interface StepCounters {
  /** The Collector's OTLP receiver. */
  accepted: number;
  refused: number;
  /** The Collector's exporter to the backend: sent (the backend answered success), given up after retries, refused by a full queue. */
  sent: number;
  sendFailed: number;
  enqueueFailed: number;
  /** The backend's own count. The stack's own traffic counts too (the demo's spans, scrapes' samples, containers' logs). */
  backend: number;
}

export interface HeadroomStep {
  rate: number;
  plan: LoadPlan;
  /** From the first client's start until the last one exited. */
  seconds: number;
  achievedRate: number;
  clientError: string | undefined;
  delta: StepCounters;
  /** The largest the exporter's sending queue was seen (read every second). */
  maxQueue: number;
  /** From the end of the load until the queue was seen empty. */
  drainSeconds: number | undefined;
  /** The fraction of the host's cores busy during the load: client, stack and anything else. */
  hostBusy: number;
  /** The containers that used the most CPU during the load, in cores. */
  topCpu: Array<{ service: string; cores: number }>;
  /** Containers the engine restarted during the step (a crash, or the kernel killing one at its memory limit). */
  restarted: string[];
  ok: boolean;
  problems: Problem[];
}

/** Why a step fell short: the counter that shows it, and whether the stack or the client fell short. */
export interface Problem {
  by: "stack" | "client";
  counter: string;
  text: string;
}

export interface Ladder {
  signal: Signal;
  date: string;
  /** The host's 1-minute load average before and after the ladder: other work skews the numbers. */
  load: { before: number; after: number };
  plan: HeadroomPlan;
  steps: HeadroomStep[];
  /** The highest rate passed below the lowest rate failed. */
  sustainedRate: number | undefined;
  /** Each container's largest working set during the ladder (sampled every 5 s), MiB. */
  peakWorkingSetMb: Record<string, number>;
  /** Why the ladder stopped before its plan's end, when it did. */
  stoppedEarly: string | undefined;
}

export interface HeadroomResult {
  ladders: Partial<Record<Signal, Ladder>>;
}

export interface HeadroomPlan {
  rates: readonly number[];
  stepSeconds: number;
  /** Steps tried between the highest rate passed and the lowest failed. */
  refinements: number;
  /** No step starts after a signal's steps have taken this long: the section stays within its time. */
  budgetSeconds: number;
}

/** A step queue holding more than this many seconds of the rate means the backend falls behind. */
const LAG_SECONDS = 2;
/** How long a queue may take to empty after the load before the step counts as lagging. */
const DRAIN_LIMIT_S = 30;
/** After a step fell short, how long the next waits for the queue to empty before the ladder stops. */
const RECOVER_LIMIT_S = 120;
/** How long the backend's count may trail the Collector's once the queue is empty. */
const SETTLE_LIMIT_S = 10;

const items = (signal: Signal) => ({ spans: "spans", points: "metric points", logs: "log records" })[signal];

/** Step verdict, from its numbers alone. */
export function stepProblems(signal: Signal, step: Omit<HeadroomStep, "ok" | "problems">): Problem[] {
  const spec = SPECS[signal];
  const sent = step.plan.total;
  const what = items(signal);
  const problems: Problem[] = [];
  const stack = (counter: string, text: string) => problems.push({ by: "stack", counter, text });
  for (const service of step.restarted) stack("container restarts", `${service} restarted (it crashed or hit its memory limit), losing what it held`);
  if (step.clientError) problems.push({ by: "client", counter: "telemetrygen", text: `the client failed: ${step.clientError.slice(0, 200)}` });
  if (step.delta.refused > 0) stack(`otelcol_receiver_refused_${spec.items}`, `the Collector refused ${step.delta.refused} ${what} (its memory limiter or a full queue)`);
  if (step.delta.enqueueFailed > 0) stack(`otelcol_exporter_enqueue_failed_${spec.items}`, `the queue to ${spec.exporter} was full for ${step.delta.enqueueFailed} ${what}`);
  if (step.delta.sendFailed > 0) stack(`otelcol_exporter_send_failed_${spec.items}`, `${spec.exporter} gave up on ${step.delta.sendFailed} ${what}`);
  if (step.delta.accepted < sent && step.delta.refused === 0) {
    // telemetrygen's span processor drops what it cannot export in time, silently; its metrics and
    // logs are exported synchronously, so a shortfall there is the receiver's.
    const text = `the Collector accepted ${step.delta.accepted} of ${sent} ${what}`;
    if (signal === "spans") problems.push({ by: "client", counter: `otelcol_receiver_accepted_${spec.items}`, text: `${text}, refusing none: the client's span queue overflowed` });
    else stack(`otelcol_receiver_accepted_${spec.items}`, text);
  }
  if (step.delta.sent < Math.min(sent, step.delta.accepted)) stack(`otelcol_exporter_sent_${spec.items}`, `${spec.exporter} sent ${step.delta.sent} of the ${sent} ${what}`);
  if (step.delta.backend < Math.min(sent, step.delta.accepted)) stack(`${spec.backend.metric} (${spec.backend.name})`, `${spec.backend.what} ${step.delta.backend} of the ${sent} ${what}`);
  if (step.drainSeconds === undefined) stack("otelcol_exporter_queue_size", `the queue to ${spec.exporter} did not empty within ${DRAIN_LIMIT_S} s of the load's end`);
  else if (step.maxQueue > LAG_SECONDS * step.rate) stack("otelcol_exporter_queue_size", `the queue to ${spec.exporter} held ${step.maxQueue} ${what}, over ${LAG_SECONDS} s of the rate: the backend falls behind`);
  if (step.achievedRate < 0.9 * step.rate) problems.push({ by: "client", counter: "telemetrygen", text: `the client reached ${Math.round(step.achievedRate)} a second of the ${step.rate} asked` });
  return problems;
}

/**
 * The next rate to try, or undefined when the ladder is done: up the planned rates until a step
 * fails, then halfway between the highest passed and the lowest failed, `refinements` times.
 */
export function nextRate(done: ReadonlyArray<{ rate: number; ok: boolean }>, plan: Pick<HeadroomPlan, "rates" | "refinements">): number | undefined {
  const firstFailed = done.findIndex((step) => !step.ok);
  if (firstFailed === -1) return plan.rates[done.length];
  if (done.length - firstFailed - 1 >= plan.refinements) return undefined;
  const lowestFailed = Math.min(...done.filter((step) => !step.ok).map((step) => step.rate));
  const passed = done.filter((step) => step.ok && step.rate < lowestFailed).map((step) => step.rate);
  if (passed.length === 0) return undefined;
  const highestPassed = Math.max(...passed);
  const middle = Math.round((highestPassed + lowestFailed) / 200) * 100;
  return middle > highestPassed && middle < lowestFailed ? middle : undefined;
}

export function sustainedRate(steps: ReadonlyArray<{ rate: number; ok: boolean }>): number | undefined {
  const failed = steps.filter((step) => !step.ok).map((step) => step.rate);
  const lowestFailed = failed.length > 0 ? Math.min(...failed) : Infinity;
  const passed = steps.filter((step) => step.ok && step.rate < lowestFailed).map((step) => step.rate);
  return passed.length > 0 ? Math.max(...passed) : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Collector's and Jaeger's metrics endpoints, through their containers' addresses on the bridge network (reachable from a Linux host). */
async function endpoints(session: StackSession): Promise<Record<Source, string>> {
  const containers = await session.containers();
  const address = async (service: string) => {
    const container = containers.find((c) => c.service === service);
    if (!container) throw new Error(`the headroom section needs the ${service} container, which is not running`);
    const networks = (await docker().getContainer(container.id).inspect()).NetworkSettings.Networks;
    const ip = Object.values(networks).find((network) => network.IPAddress)?.IPAddress;
    if (!ip) throw new Error(`the ${service} container has no address on a Docker network`);
    return ip;
  };
  if (!session.lokiDoorMetricsUrl) throw new Error("the headroom section measures log records against the Loki door; this testbed boots Loki, whose ingest the bench does not read");
  return {
    collector: `http://${await address("otel-collector")}:8888/metrics`,
    jaeger: `http://${await address("jaeger")}:8888/metrics`,
    prometheus: "http://127.0.0.1:9090/metrics",
    door: session.lokiDoorMetricsUrl,
  };
}

class Meter {
  constructor(
    private readonly urls: Record<Source, string>,
    private readonly signal: Signal,
  ) {}

  private get spec(): SignalSpec {
    return SPECS[this.signal];
  }

  async queue(): Promise<number> {
    const size = sumSamples(await scrape(this.urls.collector), "otelcol_exporter_queue_size", { exporter: this.spec.exporter });
    if (size === undefined) throw new Error(`the Collector reports no otelcol_exporter_queue_size for ${this.spec.exporter}`);
    return size;
  }

  async counters(): Promise<StepCounters> {
    const { items, exporter, backend } = this.spec;
    const [collector, backendText] = await Promise.all([scrape(this.urls.collector), scrape(this.urls[backend.source])]);
    // A counter not incremented yet has no sample: 0.
    const count = (text: string, name: string, labels: Record<string, string>) => sumSamples(text, name, labels) ?? 0;
    return {
      accepted: count(collector, `otelcol_receiver_accepted_${items}`, { receiver: "otlp" }),
      refused: count(collector, `otelcol_receiver_refused_${items}`, { receiver: "otlp" }),
      sent: count(collector, `otelcol_exporter_sent_${items}`, { exporter }),
      sendFailed: count(collector, `otelcol_exporter_send_failed_${items}`, { exporter }),
      enqueueFailed: count(collector, `otelcol_exporter_enqueue_failed_${items}`, { exporter }),
      backend: count(backendText, backend.metric, backend.labels),
    };
  }

  /** Seconds until the queue was seen empty, or undefined after `limitS`; the largest size seen goes to `seen`. */
  async drain(limitS: number, seen: (size: number) => void): Promise<number | undefined> {
    const started = performance.now();
    for (;;) {
      const size = await this.queue();
      seen(size);
      const elapsed = (performance.now() - started) / 1000;
      if (size === 0) return elapsed;
      if (elapsed >= limitS) return undefined;
      await sleep(1_000);
    }
  }
}

const hostCpu = (): CpuTimes => parseProcStat(readFileSync("/proc/stat", "utf8"));

async function restartCounts(containers: Array<{ id: string; service: string }>): Promise<Map<string, number>> {
  return new Map(await Promise.all(containers.map(async ({ id, service }) => [service, (await docker().getContainer(id).inspect()).RestartCount] as const)));
}

async function containerStats(containers: Array<{ id: string; service: string }>): Promise<Map<string, EngineStats>> {
  const stats = await Promise.all(containers.map(async ({ id, service }) => [service, (await docker().getContainer(id).stats({ stream: false }).catch(() => undefined)) as EngineStats | undefined] as const));
  return new Map(stats.filter((entry): entry is [string, EngineStats] => entry[1] !== undefined));
}

function topCpu(first: Map<string, EngineStats>, last: Map<string, EngineStats>): Array<{ service: string; cores: number }> {
  return [...last]
    .flatMap(([service, stats]) => (first.has(service) ? [{ service, cores: cpuCoresBetween(first.get(service)!, stats) }] : []))
    .sort((a, b) => b.cores - a.cores)
    .slice(0, 3);
}

const delta = (before: StepCounters, after: StepCounters): StepCounters => ({
  accepted: after.accepted - before.accepted,
  refused: after.refused - before.refused,
  sent: after.sent - before.sent,
  sendFailed: after.sendFailed - before.sendFailed,
  enqueueFailed: after.enqueueFailed - before.enqueueFailed,
  backend: after.backend - before.backend,
});

async function runStep(signal: Signal, rate: number, seconds: number, meter: Meter, containers: Array<{ id: string; service: string }>): Promise<HeadroomStep> {
  const [before, statsBefore, restartsBefore] = await Promise.all([meter.counters(), containerStats(containers), restartCounts(containers)]);
  const cpuBefore = hostCpu();
  const load = startSignalLoad(signal, rate, seconds, `bench-headroom-${signal}-${rate}-${Date.now()}`);
  let maxQueue = 0;
  const seen = (size: number) => (maxQueue = Math.max(maxQueue, size));
  while (load.running()) {
    seen(await meter.queue());
    await sleep(1_000);
  }
  const { seconds: loadSeconds, error: clientError } = await load.finished;
  const hostBusy = busyBetween(cpuBefore, hostCpu());
  const statsAfter = await containerStats(containers);
  const drainSeconds = await meter.drain(DRAIN_LIMIT_S, seen);
  // The backend counts what the exporter sent a moment later: wait until it has, briefly.
  let after = await meter.counters();
  const settleStarted = performance.now();
  const target = (counters: StepCounters) => Math.min(load.plan.total, counters.accepted - before.accepted);
  while (after.backend - before.backend < target(after) && performance.now() - settleStarted < SETTLE_LIMIT_S * 1000) {
    await sleep(1_000);
    after = await meter.counters();
  }
  const measured = {
    rate,
    plan: load.plan,
    seconds: loadSeconds,
    achievedRate: load.plan.total / loadSeconds,
    clientError,
    delta: delta(before, after),
    maxQueue,
    drainSeconds,
    hostBusy,
    topCpu: topCpu(statsBefore, statsAfter),
    restarted: [...(await restartCounts(containers))].filter(([service, count]) => count > (restartsBefore.get(service) ?? 0)).map(([service]) => service),
  };
  const problems = stepProblems(signal, measured);
  return { ...measured, ok: problems.length === 0, problems };
}

/** Samples every container's working set every 5 s in the background, keeping each one's largest. */
function watchPeaks(containers: Array<{ id: string; service: string }>): { peaks: Record<string, number>; stop(): Promise<void> } {
  const peaks: Record<string, number> = {};
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const [service, stats] of await containerStats(containers)) peaks[service] = Math.max(peaks[service] ?? 0, workingSetBytes(stats) / 1024 / 1024);
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

export async function measureHeadroom(
  session: StackSession,
  signals: readonly Signal[],
  plan: HeadroomPlan,
  loadAverage: () => number,
  log: (line: string) => void,
  measured: (ladder: Ladder) => void,
): Promise<void> {
  await session.cli("up");
  const urls = await endpoints(session);
  const containers = await session.containers();
  for (const signal of signals) measured(await measureLadder(urls, containers, signal, plan, loadAverage, log));
}

/** One signal's steps against the metrics endpoints given (the stack's, or components run another way). */
export async function measureLadder(
  urls: Record<Source, string>,
  containers: Array<{ id: string; service: string }>,
  signal: Signal,
  plan: HeadroomPlan,
  loadAverage: () => number,
  log: (line: string) => void,
): Promise<Ladder> {
  log(` ${items(signal)}:`);
  const meter = new Meter(urls, signal);
  const peaks = watchPeaks(containers);
  const loadBefore = loadAverage();
  const steps: HeadroomStep[] = [];
  const started = performance.now();
  let stoppedEarly: string | undefined;
  try {
    for (let rate = nextRate(steps, plan); rate !== undefined; rate = nextRate(steps, plan)) {
      if (performance.now() - started > plan.budgetSeconds * 1000) {
        stoppedEarly = `its ${plan.budgetSeconds} s were spent before the step at ${rate}/s`;
        break;
      }
      // The previous step's backlog (or the stack's start) must be gone, or this step measures it too.
      if ((await meter.drain(RECOVER_LIMIT_S, () => undefined)) === undefined) {
        stoppedEarly = `the queue to ${SPECS[signal].exporter} did not empty within ${RECOVER_LIMIT_S} s of the step before the one at ${rate}/s`;
        break;
      }
      const step = await runStep(signal, rate, plan.stepSeconds, meter, containers);
      steps.push(step);
      const cpu = step.topCpu.map((c) => `${c.service} ${c.cores.toFixed(2)}`).join(", ");
      log(
        `  ${rate}/s: ${step.ok ? "ok" : step.problems.map((p) => p.text).join("; ")} (sent ${step.plan.total} in ${step.seconds.toFixed(1)} s, queue max ${step.maxQueue}, host ${(step.hostBusy * 100).toFixed(0)}% busy; cores: ${cpu})`,
      );
    }
  } finally {
    await peaks.stop();
  }
  if (stoppedEarly) log(`  stopped: ${stoppedEarly}`);
  return { signal, date: new Date().toISOString(), load: { before: loadBefore, after: loadAverage() }, plan, steps, sustainedRate: sustainedRate(steps), peakWorkingSetMb: peaks.peaks, stoppedEarly };
}
