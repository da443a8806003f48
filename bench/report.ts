/** The bench's results as Markdown (docs/benchmarks.md): method and machine first, then spreads and ratios. */
import type { ScalingResult } from "./generate-scaling.ts";
import type { Spread } from "./stats.ts";

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** 1-minute load average before and after the bench: other work on the machine skews absolute times. */
  load: { before: number; after: number };
}

export interface BenchResults {
  date: string;
  machine: Machine;
  runs: number;
  startup: { ms: Spread; peakRssMb: Spread };
  generate: ScalingResult[];
}

const ms = (value: number) => `${Math.round(value)}`;
const mb = (value: number) => value.toFixed(0);
const spreadOf = (value: Spread, format: (n: number) => string) => `${format(value.median)} (${format(value.min)}–${format(value.max)})`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;

export function benchmarksMarkdown(results: BenchResults): string {
  const { machine, startup, generate } = results;
  const smallest = generate[0]!;
  const workMs = (result: ScalingResult) => Math.max(0, result.generateMs.median - startup.ms.median);
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
  return `# Benchmarks: \`generate\` as the number of services grows

Written by \`npm run bench\` (${results.date}); regenerate it there. \`npm run bench -- --quick\`
(3 runs of 10 and 100 services, what CI runs to prove the bench still works) writes
\`reports/benchmarks-quick.md\` instead.

Absolute numbers depend on the machine and on what else runs on it; compare the ratios, which come
from one run of the bench on one machine.

## Method

- Configs with N declared services (bench/fixtures.ts): each with health endpoints, SLOs, JSON
  logs, a synthetic check and a k6 profile, so every per-service renderer runs.
- Every measurement is a separate process, \`node --import tsx scripts/stack/cli.ts …\` (what
  \`npm run\` runs, without the \`tsx\` binary's extra parent process), timed from spawn to exit:
  Node's and tsx's start-up are included. Start-up alone is measured as \`help\`, which loads
  every command's modules and does nothing.
- **Work** is the median generate time minus the median start-up time.
- **generate** writes into an empty directory; **no change** runs again into the directory it wrote
  (every file compared, nothing rewritten).
- **Peak memory** is the process's maximum resident set (\`process.resourceUsage().maxRSS\`, read at
  exit by bench/peak-rss-hook.ts).
- Medians of ${results.runs} runs, with min–max in brackets.

## Machine

| CPUs | CPU | Memory | Node | Platform | Load average (1 min) before → after |
| --- | --- | --- | --- | --- | --- |
| ${machine.cpus} | ${machine.cpuModel} | ${machine.memoryGb.toFixed(1)} GB | ${machine.node} | ${machine.platform} | ${machine.load.before.toFixed(1)} → ${machine.load.after.toFixed(1)} |

## Start-up (no-op: \`help\`)

| Time, ms | Peak memory, MB |
| --- | --- |
| ${spreadOf(startup.ms, ms)} | ${spreadOf(startup.peakRssMb, mb)} |

## generate

| Services | generate, ms | Work, ms | No change, ms | Peak memory, MB | Files written | KB written |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}

## Ratios (same run)

| Sizes | Services | generate | Work | Peak memory | Bytes written |
| --- | --- | --- | --- | --- | --- |
${ratios.join("\n")}
`;
}
