/**
 * `npm run bench`: how long the bootstrapper's own work takes — loading and checking a config,
 * rendering the bundle, and a no-change `generate` — as medians over repeated runs, written to
 * reports/bench.json. Boot and smoke durations are measured by the e2e suite (it prints them).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { renderBundle } from "../scripts/stack/bundle/bundle.ts";
import { REPO_ROOT } from "../scripts/stack/render/templates.ts";
import { writeBundle } from "../scripts/stack/write/bundle-writer.ts";
import { GOLDEN_CONFIG_NAMES, loadGoldenModel } from "../test/helpers/golden-configs.ts";

const RUNS = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(action: () => void): { medianMs: number; minMs: number; maxMs: number } {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    action();
    samples.push(performance.now() - started);
  }
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { medianMs: round(median(samples)), minMs: round(Math.min(...samples)), maxMs: round(Math.max(...samples)) };
}

const results: Record<string, unknown> = {};
for (const name of GOLDEN_CONFIG_NAMES) {
  const model = await loadGoldenModel(name);
  const bundle = renderBundle(model);
  const dir = mkdtempSync(join(tmpdir(), "obs-stack-bench-"));
  writeBundle(dir, bundle);
  results[name] = {
    files: bundle.size,
    bytes: [...bundle.values()].reduce((sum, text) => sum + text.length, 0),
    render: measure(() => renderBundle(model)),
    writeNoChange: measure(() => writeBundle(dir, bundle)),
  };
  rmSync(dir, { recursive: true, force: true });
}

const report = { date: new Date().toISOString(), runs: RUNS, node: process.version, results };
mkdirSync(join(REPO_ROOT, "reports"), { recursive: true });
writeFileSync(join(REPO_ROOT, "reports", "bench.json"), `${JSON.stringify(report, null, 2)}\n`);
for (const [name, result] of Object.entries(results) as Array<[string, { files: number; render: { medianMs: number }; writeNoChange: { medianMs: number } }]>)
  process.stdout.write(`${name.padEnd(14)} ${String(result.files).padStart(3)} files  render ${result.render.medianMs} ms  no-change write ${result.writeNoChange.medianMs} ms (medians of ${RUNS})\n`);
