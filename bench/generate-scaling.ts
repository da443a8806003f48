/**
 * `generate` at a given number of declared services, each run in its own process: once into an
 * empty directory (everything written), then again into the same directory (nothing changed).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeServicesConfig } from "./fixtures.ts";
import { runCli } from "./run-cli.ts";
import { spread, type Spread } from "./stats.ts";

export interface ScalingResult {
  services: number;
  runs: number;
  /** Into an empty directory, start-up included. */
  generateMs: Spread;
  /** Into the directory the first run wrote: every file compared, none rewritten. */
  noChangeMs: Spread;
  peakRssMb: Spread;
  files: number;
  bytes: number;
}

export interface GenerateSection {
  runs: number;
  /**
   * `--help` through the launcher: Node, the bundle's freshness check and the dispatcher. Loading
   * generate's code and tsx for the config count as work, so the work figure errs high.
   */
  startup: { ms: Spread; peakRssMb: Spread };
  generate: ScalingResult[];
}

export function measureGenerateSection(sizes: readonly number[], runs: number, log: (line: string) => void): GenerateSection {
  const startupSamples = Array.from({ length: runs }, () => runCli(["--help"]));
  const generate = sizes.map((services) => {
    const result = measureGenerate(services, runs);
    log(`${services} services: generate median ${Math.round(result.generateMs.median)} ms, peak ${result.peakRssMb.median.toFixed(0)} MB`);
    return result;
  });
  return {
    runs,
    startup: { ms: spread(startupSamples.map((sample) => sample.ms)), peakRssMb: spread(startupSamples.map((sample) => sample.peakRssMb)) },
    generate,
  };
}

export function measureGenerate(services: number, runs: number): ScalingResult {
  const dir = mkdtempSync(join(tmpdir(), `obs-stack-bench-${services}-`));
  try {
    const config = writeServicesConfig(dir, services);
    const samples = Array.from({ length: runs }, (_, index) => {
      const out = join(dir, `out-${index}`);
      const args = ["generate", "--config", config, "--out", out];
      const first = runCli(args);
      const again = runCli(args);
      const written = filesIn(out);
      rmSync(out, { recursive: true, force: true });
      return { first, again, written };
    });
    const { written } = samples[0]!;
    return {
      services,
      runs,
      generateMs: spread(samples.map((sample) => sample.first.ms)),
      noChangeMs: spread(samples.map((sample) => sample.again.ms)),
      peakRssMb: spread(samples.map((sample) => sample.first.peakRssMb)),
      files: written.length,
      bytes: written.reduce((sum, file) => sum + file.size, 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function filesIn(dir: string): Array<{ path: string; size: number }> {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => ({ path: join(entry.parentPath, entry.name), size: statSync(join(entry.parentPath, entry.name)).size }));
}
