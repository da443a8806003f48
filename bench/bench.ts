/**
 * `npm run bench`: how `generate` scales with the number of declared services — time (start-up
 * included, and start-up alone), peak memory, bytes and files written — as medians with their
 * spread, written to docs/benchmarks.md. `-- --quick`: fewer runs and sizes, for CI, into reports/.
 * Boot and smoke durations are measured by the e2e suite (it prints them).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../scripts/stack/render/templates.ts";
import { measureGenerate } from "./generate-scaling.ts";
import { benchmarksMarkdown, type BenchResults } from "./report.ts";
import { runCli } from "./run-cli.ts";
import { spread } from "./stats.ts";

const PLANS = {
  full: { runs: 5, sizes: [10, 100, 1000, 5000], output: join(REPO_ROOT, "docs", "benchmarks.md") },
  quick: { runs: 3, sizes: [10, 100], output: join(REPO_ROOT, "reports", "benchmarks-quick.md") },
};

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--quick");
if (unknown.length > 0) {
  process.stderr.write(`npm run bench: unknown option ${unknown.join(" ")} (the only one is --quick)\n`);
  process.exit(2);
}
const plan = args.includes("--quick") ? PLANS.quick : PLANS.full;

const loadBefore = loadavg()[0]!;
const startupSamples = Array.from({ length: plan.runs }, () => runCli(["help"]));
const generate = plan.sizes.map((services) => {
  const result = measureGenerate(services, plan.runs);
  process.stdout.write(`${services} services: generate median ${Math.round(result.generateMs.median)} ms, peak ${result.peakRssMb.median.toFixed(0)} MB\n`);
  return result;
});
const results: BenchResults = {
  date: new Date().toISOString(),
  machine: {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    load: { before: loadBefore, after: loadavg()[0]! },
  },
  runs: plan.runs,
  startup: { ms: spread(startupSamples.map((sample) => sample.ms)), peakRssMb: spread(startupSamples.map((sample) => sample.peakRssMb)) },
  generate,
};
const markdown = benchmarksMarkdown(results);
mkdirSync(dirname(plan.output), { recursive: true });
writeFileSync(plan.output, markdown);
process.stdout.write(`${markdown}\nwritten to ${plan.output}\n`);
