/**
 * The bench's results as Markdown (docs/benchmarks.md): method and machine with every section, then
 * medians with min–max and ratios from one run. A section not measured yet says how to measure it.
 */
import { COMPONENTS, type ComponentName } from "../scripts/stack/catalog/components.ts";
import { formatDuration } from "../scripts/stack/syntax/durations.ts";
import type { AlertLatencyResult } from "./alert-latency.ts";
import { limitFor, type FootprintResult } from "./footprint.ts";
import type { GenerateSection, ScalingResult } from "./generate-scaling.ts";
import type { HeadroomResult, Ladder } from "./headroom.ts";
import { SIGNALS, type Signal } from "./headroom-load.ts";
import type { AllResults, Machine, Measured, StackContext } from "./results.ts";
import type { SmokeResult } from "./smoke-timing.ts";
import type { Spread } from "./stats.ts";
import type { UpResult } from "./up-vs-compose.ts";

const ms = (value: number) => `${Math.round(value)}`;
const mb = (value: number) => value.toFixed(0);
const sec = (value: number) => value.toFixed(1);
const spreadOf = (value: Spread, format: (n: number) => string) => `${format(value.median)} (${format(value.min)}–${format(value.max)})`;
const ratio = (a: number, b: number, digits = 1) => `${(a / b).toFixed(digits)}×`;

function machineLine(measured: Measured<unknown>): string {
  const m: Machine = measured.machine;
  const engine = measured.stack ? `, ${measured.stack.engine}` : "";
  return `_Measured ${measured.date} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGb.toFixed(1)} GB, Node ${m.node}, ${m.platform}${engine}; load average (1 min) ${m.load.before.toFixed(1)} → ${m.load.after.toFixed(1)}._`;
}

function notBootedLine(stack: StackContext | undefined): string {
  const names = Object.keys(stack?.notBooted ?? {});
  if (names.length === 0) return "";
  return `\n**Not booted here:** ${names.join(", ")} — their sources are AGPL (or, for Alloy, require Loki's AGPL module), so this project never fetches or builds them and the testbed has no image of them. Their numbers are missing from this section; the Collector ships logs to a recording stand-in for Loki (the e2e suite's "Loki door").\n`;
}

const missing = (name: string, how: string) => `_Not measured yet: \`npm run bench -- --only ${name}\` (${how})._\n`;

function generateSection(measured: Measured<GenerateSection> | undefined): string {
  if (!measured) return missing("generate", "no engine needed");
  const { startup, generate, runs } = measured.result;
  const smallest = generate[0]!;
  const workMs = (r: ScalingResult) => Math.max(0, r.generateMs.median - startup.ms.median);
  const rows = generate.map(
    (r) =>
      `| ${r.services} | ${spreadOf(r.generateMs, ms)} | ${ms(workMs(r))} | ${spreadOf(r.noChangeMs, ms)} | ${spreadOf(r.peakRssMb, mb)} | ${r.files} | ${(r.bytes / 1024).toFixed(0)} |`,
  );
  const ratios = generate
    .slice(1)
    .map(
      (r) =>
        `| ${r.services} vs ${smallest.services} | ${ratio(r.services, smallest.services)} | ${ratio(r.generateMs.median, smallest.generateMs.median)} | ${ratio(Math.max(workMs(r), 1), Math.max(workMs(smallest), 1))} | ${ratio(r.peakRssMb.median, smallest.peakRssMb.median)} | ${ratio(r.bytes, smallest.bytes)} |`,
    );
  return `${machineLine(measured)}

- Configs with N declared services (bench/fixtures.ts): each with health endpoints, SLOs, JSON
  logs, a synthetic check and a k6 profile, so every per-service renderer runs (k6 scripts are
  rendered by \`synthetics\` and \`validate\`, not by \`generate\`).
- Every measurement is a separate process, \`node scripts/stack/launch.mjs …\` (what \`npm run\`
  runs: the CLI's cached bundle, TypeScript loaded only for the config), timed from spawn to exit:
  Node's start-up is included. Start-up alone is measured as \`--help\`, which runs Node, the
  bundle's freshness check and the dispatcher and loads no command: ${spreadOf(startup.ms, ms)} ms, peak ${spreadOf(startup.peakRssMb, mb)} MB.
- **Work** is the median generate time minus the median start-up time. **generate** writes into an
  empty directory; **no change** runs again into the directory it wrote (every file compared,
  nothing rewritten). **Peak memory** is the process's maximum resident set
  (\`process.resourceUsage().maxRSS\`, read at exit by bench/peak-rss-hook.ts).
- Medians of ${runs} runs, with min–max in brackets.

| Services | generate, ms | Work, ms | No change, ms | Peak memory, MB | Files written | KB written |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}

| Sizes | Services | generate | Work | Peak memory | Bytes written |
| --- | --- | --- | --- | --- | --- |
${ratios.join("\n")}
`;
}

function upSection(measured: Measured<UpResult> | undefined): string {
  if (!measured) return missing("up", "needs the engine and `npm run testbed`");
  const r = measured.result;
  const row = (name: string, upMs: Spread, composeMs: Spread) =>
    `| ${name} | ${spreadOf(upMs, (v) => sec(v / 1000))} | ${spreadOf(composeMs, (v) => sec(v / 1000))} | ${ratio(upMs.median, composeMs.median, 2)} | ${sec((upMs.median - composeMs.median) / 1000)} |`;
  const phases = (name: string, list: UpResult["breakdown"]["cold"]) => list.map((p) => `| ${name} | ${p.name} | ${spreadOf(p.ms, (v) => sec(v / 1000))} |`);
  return `${machineLine(measured)}
${notBootedLine(measured.stack)}
- The same generated bundle (bench/stack.bench.config.ts: the e2e stack, the shipped default
  with the demo), the same Compose (${r.composeTool}), the same env file and secrets.
- **Cold**: no containers (\`down\`, volumes and images kept: a new volume needs the directories
  \`up\` prepares before Compose can start on it). **No change**: everything already running.
- ${r.runs} rounds, interleaved and alternating which goes first; medians with min–max, seconds.
  \`up\` is timed from spawn to exit, Node's start-up and \`generate\` included; Compose likewise.
- For context, one sample: the first \`up\` on new volumes took ${sec(r.firstUpMs / 1000)} s;
  \`generate\` alone with no change takes ${spreadOf(r.generateNoChangeMs, (v) => sec(v / 1000))} s.

| | \`up\`, s | \`docker compose up -d --wait\`, s | Ratio | Difference, s |
| --- | --- | --- | --- | --- |
${row("Cold", r.up.coldMs, r.compose.coldMs)}
${row("No change", r.up.noChangeMs, r.compose.noChangeMs)}

Where \`up\` spends its time, from its own progress lines (bench/phases.ts), medians over the rounds:

| | Phase | s |
| --- | --- | --- |
${[...phases("Cold", r.breakdown.cold), ...phases("No change", r.breakdown.noChange)].join("\n")}
`;
}

function footprintSection(measured: Measured<FootprintResult> | undefined): string {
  if (!measured) return missing("footprint", "needs the engine and `npm run testbed`; 10 minutes idle, 1 with `--short`");
  const r = measured.result;
  const unmeasured = Object.keys(measured.stack?.notBooted ?? {})
    .filter((name): name is ComponentName => name in COMPONENTS)
    .map((name) => `${COMPONENTS[name].title} (${COMPONENTS[name].memory})`);
  const rows = r.containers.map((c) => {
    const now = c.component ? COMPONENTS[c.component as ComponentName].memory : "—";
    const policy = c.component ? limitFor(c.component, c.workingSetMb.max) : undefined;
    const suggested = !policy ? "—" : "keep" in policy ? `kept: ${policy.keep}` : `${policy.limit} (${policy.why})`;
    return `| ${c.service} | ${spreadOf(c.workingSetMb, mb)} | ${mb(c.lastWorkingSetMb)} | ${(c.cpuCores * 100).toFixed(1)} | ${c.limitMb ? mb(c.limitMb) : "none"} | ${suggested} | ${now} | ${c.limitMb ? `${((c.workingSetMb.max / c.limitMb) * 100).toFixed(0)}%` : "—"} |`;
  });
  return `${machineLine(measured)}
${notBootedLine(measured.stack)}
- The e2e stack (the shipped default with the demo and its steady background traffic), idle for
  ${formatDuration(r.idleSeconds)} after \`up\`, sampled ${r.samples} times through the engine's stats API.
- **Working set** is memory usage less the inactive file cache: what cAdvisor reports as
  \`container_memory_working_set_bytes\` and what the OOM killer compares with the limit. Median
  (min–max) over the samples, and the last sample.
- **CPU** is the average over the whole window, in % of one core.
- **Suggested** is max(2 × the peak working set, a floor), rounded up to 32 MiB (bench/footprint.ts,
  \`limitFor\`): the floor is 64 MiB, or 128 MiB for a component whose memory grows with what
  users send, and the three that hold the ingested telemetry (Prometheus, Jaeger, the Collector)
  keep their limit: idle, they hold almost nothing (see "Headroom" for their peak under load).
  **Default now** is the catalog's \`memory\` as this document was written. The demo and the
  exporters of the e2e peers are not catalog components.

| Container | Working set, MiB | At the end, MiB | CPU, % of a core | Limit in the run, MiB | Suggested | Default now | Peak / limit |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
${unmeasured.length > 0 ? `\nNot measured, so their limits are not derived from a footprint and stay as they were: ${unmeasured.join(", ")}.\n` : ""}`;
}

function alertsSection(measured: Measured<AlertLatencyResult> | undefined): string {
  if (!measured) return missing("alerts", "needs the engine and `npm run testbed`; about 6 minutes a run");
  const r = measured.result;
  const rows = r.severities.map(
    (s) =>
      `| ${s.severity} | ${s.alert} (${s.service}) | ${spreadOf(s.seconds, sec)} | ${formatDuration(s.floorSeconds)} | ${formatDuration(s.worstCaseSeconds)} | ${formatDuration(s.budgetSeconds)} | ${ratio(s.seconds.median, s.budgetSeconds, 2)} |`,
  );
  const terms = r.severities.map(
    (s) => `| ${s.severity} | ${formatDuration(s.terms.interval)} | ${formatDuration(s.terms.timeout)} | ${formatDuration(s.terms.evaluation)} | ${formatDuration(s.terms.for)} | ${formatDuration(s.terms.groupWait)} |`,
  );
  return `${machineLine(measured)}
${notBootedLine(measured.stack)}
- A service dies: its container is stopped (\`docker stop\`, ${spreadOf(r.stopSeconds, sec)} s; the clock starts when
  it has stopped), and a webhook on the host (the only receiver, through Alertmanager's real
  notification path) times the first notification. Critical: \`ServiceDown\` of the demo.
  Warning: \`HealthProbeFailing\` of a service with health endpoints and no metrics (the stack's
  Pushgateway stands in for it): a service with metrics that dies pages through \`ServiceDown\`,
  which mutes its \`HealthProbeFailing\` by design (one outage, one notification). Both are
  stopped at once, then started again, and both alerts resolve before the next run. ${r.runs} run(s).
- **Floor**: \`for\` + group_wait, the failure seen by the very next scrape and evaluation.
  **Worst case**: interval + timeout + evaluation + \`for\` + group_wait, derived by
  scripts/stack/resolve/alert-latency.ts (README "Alert latency"). A stopped container's name
  no longer resolves, so its scrapes and probes fail at once: the timeout term is not spent here.
- The bench config flushes a notified group after 10s instead of 5m, so that each run is a new
  outage (a new group): not part of the first notification's latency.

| Severity | Alert (service) | Measured, s | Floor | Worst case | Budget | Measured / budget |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}

| Severity | Interval | Timeout | Evaluation | \`for\` | group_wait |
| --- | --- | --- | --- | --- | --- |
${terms.join("\n")}
`;
}

function smokeSection(measured: Measured<SmokeResult> | undefined): string {
  if (!measured) return missing("smoke", "needs the engine and `npm run testbed`");
  const r = measured.result;
  return `${machineLine(measured)}
${notBootedLine(measured.stack)}
- \`npm run smoke -- --json\` against the running stack, ${r.runs} runs, spawn to exit (start-up included).
- Passed: ${r.passed.length} checks; skipped (not booted here): ${r.skipped.length ? r.skipped.join("; ") : "none"}.
  Synthetics (\`npm run synthetics\`) run k6, which the testbed does not boot: not measured here.

| smoke, s |
| --- |
| ${spreadOf(r.ms, (v) => sec(v / 1000))} |
`;
}

const SIGNAL_TITLES: Record<Signal, { items: string; backend: string }> = {
  spans: { items: "spans", backend: "Jaeger accepted (its own otelcol_receiver_accepted_spans)" },
  points: { items: "metric points", backend: "Prometheus appended (prometheus_tsdb_head_samples_appended_total, its scrapes included)" },
  logs: { items: "log records", backend: "the Loki door accepted (its own otelcol_receiver_accepted_log_records)" },
};

/** What the first step that fell short shows, and whether the stack or the client fell short. */
function limitLine(ladder: Ladder): string {
  const failed = ladder.steps.filter((step) => !step.ok).sort((a, b) => a.rate - b.rate)[0];
  if (!failed) return `no step fell short up to ${ladder.steps.at(-1)?.rate ?? 0}/s: the limit is higher`;
  const stack = failed.problems.filter((problem) => problem.by === "stack");
  const shown = stack.length > 0 ? stack : failed.problems;
  return `at ${failed.rate}/s ${stack.length > 0 ? "the stack" : "the client, not the stack,"} fell short first: ${shown.map((problem) => `${problem.text} (\`${problem.counter}\`)`).join("; ")}`;
}

function ladderTable(ladder: Ladder): string {
  // A negative delta is a counter that started again: the backend restarted during the step.
  const backend = (count: number) => (count < 0 ? `${count} (restarted)` : `${count}`);
  const rows = ladder.steps
    .map((s, run) => ({ s, run: run + 1 }))
    .sort((a, b) => a.s.rate - b.s.rate)
    .map(
      ({ s, run }) =>
        `| ${s.rate} | ${run} | ${s.plan.processes} × ${s.plan.workers} | ${s.plan.total} in ${sec(s.seconds)} s (${Math.round(s.achievedRate)}/s) | ${s.delta.accepted} / ${s.delta.refused} | ${s.delta.sent} / ${s.delta.sendFailed} / ${s.delta.enqueueFailed} | ${backend(s.delta.backend)} | ${s.maxQueue} | ${s.drainSeconds === undefined ? "no" : sec(s.drainSeconds)} | ${(s.hostBusy * 100).toFixed(0)}% | ${s.topCpu.map((c) => `${c.service} ${c.cores.toFixed(2)}`).join(", ")} | ${s.ok ? "ok" : s.problems.map((p) => p.text).join("; ")} |`,
    );
  return `| Rate asked, /s | Run | Processes × workers | Sent (achieved) | Collector accepted / refused | Exporter sent / gave up / queue full | Backend | Queue max | Drained after, s | Host CPU busy | Most CPU, cores | Verdict |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}`;
}

function headroomSection(measured: Measured<HeadroomResult> | undefined): string {
  const ladders = SIGNALS.flatMap((signal) => (measured?.result.ladders?.[signal] ? [measured.result.ladders[signal]] : []));
  if (!measured || ladders.length === 0) return missing("headroom", "needs the engine and `npm run testbed`; about 5 minutes a signal, `--signals` picks some");
  const services = [...new Set(ladders.flatMap((ladder) => Object.keys(ladder.peakWorkingSetMb)))].sort();
  const summary = ladders.map(
    (ladder) => `| ${SIGNAL_TITLES[ladder.signal].items} | ${ladder.sustainedRate ?? "none"} | ${limitLine(ladder)} | ${ladder.date} | ${ladder.load.before.toFixed(1)} → ${ladder.load.after.toFixed(1)} |`,
  );
  const details = ladders.map(
    (ladder) => `### ${SIGNAL_TITLES[ladder.signal].items[0]!.toUpperCase()}${SIGNAL_TITLES[ladder.signal].items.slice(1)}

Backend: ${SIGNAL_TITLES[ladder.signal].backend}. ${ladder.plan.stepSeconds} s of load a step; planned rates ${ladder.plan.rates.join(", ")} a second, then ${ladder.plan.refinements} step(s) between the highest passed and the lowest failed.

${ladderTable(ladder)}
${ladder.stoppedEarly ? `\nStopped before the plan's end: ${ladder.stoppedEarly}.\n` : ""}`,
  );
  return `${machineLine(measured)}
${notBootedLine(measured.stack)}
- Each signal alone: telemetrygen (the pinned Collector's, bench/headroom-load.ts) sends spans
  (traces of a parent and a child), cumulative counter points (every point of a second in a series
  of its own) or log records over OTLP/gRPC to the Collector's published port, at the step's rate
  for the step's time, spread over processes of at most 4,000 a second and workers of at most 500
  (or 2,500 points each), in batches of 512 (points: a fifth of a second of a worker's points).
  Rates rise along a planned ladder until a step falls short, then the rate halfway between the
  highest passed and the lowest failed is tried (twice in the full bench).
- Each step is measured by the components' own counters, read from their metrics endpoints every
  second rather than through Prometheus (one scrape every 15 s): the Collector's accepted and
  refused items (receiver otlp), what its exporter to the signal's backend sent, gave up on after
  its retries or could not enqueue (a full queue), and that exporter's queue; and the backend's
  own count. The stack's own traffic (the demo's spans, the scrapes' samples, the containers'
  logs) is counted too, so a count is at least what was sent when nothing was lost.
- **Run** is the order the steps ran in: a step after one that failed meets what that one left
  (a backend that restarted, a store still catching up).
- A step passes when the client sent everything at 90% of the rate or more, nothing was refused
  or failed, the Collector, its exporter and the backend each took at least what was sent, the
  queue never held more than 2 s of the rate and emptied within 30 s of the load's end. A step
  that falls short names the counter that shows it, and whether the stack or the client fell short.
- **Log records go to the Loki door, not to Loki**: Loki is AGPL, so this project never builds or
  runs it, and the testbed boots the Collector's OTLP/HTTP receiver with the file exporter (the
  e2e suite's door, test/e2e/loki-door.ts) where Loki's OTLP endpoint would be. The log numbers
  are the Collector's: how many records a second its receiver, its log pipelines (parsing,
  scrubbing, labels) and its sending queue take and hand on. Loki's own ingest rate is not
  measured; with a real Loki on the same 2 cores it would compete with the Collector for CPU.
- The client, the stack and the door share this machine's ${measured.machine.cpus} cores: **Host CPU busy** is all of
  them during the load, **Most CPU** the three containers that used most (engine stats).

| Signal | Sustained, /s | Limit | Measured | Load average (1 min) |
| --- | --- | --- | --- | --- |
${summary.join("\n")}

${details.join("\n")}
Each container's largest working set while a signal's steps ran (sampled every 5 s through the engine's stats API), MiB:

| Container | ${ladders.map((ladder) => SIGNAL_TITLES[ladder.signal].items).join(" | ")} |
| --- | ${ladders.map(() => "---").join(" | ")} |
${services.map((service) => `| ${service} | ${ladders.map((ladder) => (ladder.peakWorkingSetMb[service] === undefined ? "—" : mb(ladder.peakWorkingSetMb[service]))).join(" | ")} |`).join("\n")}
`;
}

export function benchmarksMarkdown(results: AllResults, options: { quick?: boolean } = {}): string {
  const intro = options.quick
    ? "`npm run bench -- --quick`: what CI runs to prove the bench still works (3 runs of 10 and 100 services, no engine). The numbers are in docs/benchmarks.md."
    : `Written by \`npm run bench\`; each section was last measured at the date it shows, and
\`npm run bench -- --only <section>\` re-measures one (bench/results/<section>.json keeps each
section's numbers). \`--short\` runs the stack sections with fewer runs and a 1-minute idle.

Absolute numbers depend on the machine and on what else runs on it (the load average is given
with each section); compare the ratios, which come from one run of the bench on one machine. The
stack sections boot the e2e stack on the testbed's images (\`npm run testbed\`): the shipped
default config with the demo, exporters against real PostgreSQL and Redis, and the opt-in StatsD
exporter.`;
  const parts = [`# Benchmarks\n\n${intro}\n`, `## \`generate\` as the number of services grows\n\n${generateSection(results.generate)}`];
  if (!options.quick)
    parts.push(
      `## \`up\` against \`docker compose up -d --wait\`\n\n${upSection(results.up)}`,
      `## Footprint of the default stack, idle with the demo\n\n${footprintSection(results.footprint)}`,
      `## Alert latency, end to end\n\n${alertsSection(results.alerts)}`,
      `## \`smoke\`\n\n${smokeSection(results.smoke)}`,
      `## Headroom: spans, metric points and log records a second\n\n${headroomSection(results.headroom)}`,
    );
  return parts.join("\n");
}
