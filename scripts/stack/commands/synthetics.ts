/**
 * `npm run synthetics [-- --service NAME] [-- --profile NAME]`: renders the k6 scripts and runs them
 * in the pinned k6 image, one service at a time, streaming k6's progress; results go to Prometheus
 * through remote write, and the verdict comes from the scripts' thresholds.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { RunnableCommand, Options } from "../args.ts";
import { SYNTHETICS } from "./specs.ts";
import type { CheckOutcome } from "../checks/check.ts";
import { outcomesJson, outcomesTable, writeJunit } from "../checks/report.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { renderSyntheticsScripts } from "../bundle/bundle.ts";
import { K6_DIR } from "../render/k6.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { writeScratchFiles } from "../validate/scratch-files.ts";
import { isRunning } from "../write/file-transaction.ts";
import { SERVICE_NAMES } from "../catalog/components.ts";
import { requireDocker, networkExists, projectContainers, runStreaming } from "../runtime/docker.ts";
import { pullMissingImages } from "../runtime/pull-images.ts";
import { planSynthetics, type SyntheticsRun } from "../synthetics/plan.ts";
import { extractSummary, SUMMARY_MARKER, summaryOutcomes } from "../checks/k6-summary.ts";
import { generate } from "./generate.ts";

const SUITE = "obs-stack synthetics";
/** k6's exit code when a threshold is breached; the run itself worked. */
const K6_THRESHOLDS_BREACHED = 99;
const TAIL_LINES = 8;

export const syntheticsCommand: RunnableCommand<typeof SYNTHETICS.flags> = { ...SYNTHETICS, run: synthetics };

export async function synthetics(options: Options<typeof SYNTHETICS.flags>, out: Output): Promise<CheckOutcome[]> {
  const { model, outDir } = await generate(options, out);
  const runs = planSynthetics(model, { service: options.service, profile: options.profile });
  await requireDocker("start Docker, then `npm run up`");
  for (const network of new Set(runs.map((run) => run.network).filter((network) => network !== "host"))) {
    if (!(await networkExists(network)))
      throw new StackError("PREFLIGHT_FAILED", `the stack is not running (no Docker network ${network})`, "run `npm run up` first");
  }
  await pullMissingImages([model.images.k6], out);
  const prometheusRunning = (await projectContainers(model.config.project.name)).some(
    (container) => container.service === SERVICE_NAMES.prometheus && container.state === "running",
  );
  if (!prometheusRunning && runs.some((run) => run.remoteWriteUrl))
    out.warn("Prometheus of this stack is not running, so k6 results are not recorded (run `npm run up` first to keep them)");

  const testId = `${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "")}-${randomBytes(3).toString("hex")}`;
  const outcomes: CheckOutcome[] = [];
  const scripts = writeRunScripts(outDir, model);
  try {
    for (const run of runs) {
      const recorded = prometheusRunning ? run : { ...run, remoteWriteUrl: undefined };
      outcomes.push(...(await runService(recorded, { image: model.images.k6, scriptsDir: scripts.dir, testId }, out)));
    }
  } finally {
    scripts.remove();
  }

  if (options.junit) writeJunit(options.junit, SUITE, outcomes);
  out.result(options.json ? outcomesJson(SUITE, outcomes) : outcomesTable(outcomes));
  const failed = outcomes.filter((o) => o.status === "fail");
  if (failed.length > 0)
    throw new StackError(
      "CHECKS_FAILED",
      `${failed.length} synthetic check(s) failed: ${failed.map((o) => `${o.name} (${o.message})`).join("; ")}`,
      "each FAIL line names the check and what was measured; results are in Prometheus (k6_* series, testid label) and on the Synthetic checks dashboard",
    );
  if (prometheusRunning) out.info(`k6 results are in Prometheus with testid="${testId}"`);
  return outcomes;
}

const RUN_DIR = /^\.synthetics-(\d+)-/;

/**
 * The k6 scripts of this run, in a directory of the bundle's that only this process uses: the bundle
 * directory is the one the user's Docker already mounts from (a VM-backed engine may not share the
 * system temp directory). The run directory is 0700, so no other local user can read or swap the
 * scripts; the k6/ inside it is 0755 with 0644 files, so k6 (uid 12345 in its image) reads them
 * through the bind mount, which does not pass through the host's run directory.
 * Run directories of processes that are gone (killed by Ctrl-C mid-run) are removed first.
 */
export function writeRunScripts(outDir: string, model: ResolvedStack): { dir: string; remove: () => void } {
  for (const entry of readdirSync(outDir)) {
    const pid = RUN_DIR.exec(entry)?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) rmSync(join(outDir, entry), { recursive: true, force: true });
  }
  const runDir = mkdtempSync(join(outDir, `.synthetics-${process.pid}-`));
  writeScratchFiles(runDir, K6_DIR, renderSyntheticsScripts(model));
  return { dir: join(runDir, K6_DIR), remove: () => rmSync(runDir, { recursive: true, force: true }) };
}

async function runService(run: SyntheticsRun, context: { image: string; scriptsDir: string; testId: string }, out: Output): Promise<CheckOutcome[]> {
  const started = Date.now();
  out.info(`k6: ${run.service}${run.profile ? ` (profile ${run.profile})` : ""}: ${run.checkNames.join(", ")}`);
  let stdout = "";
  const tail: string[] = [];
  const exitCode = await runStreaming(
    {
      image: context.image,
      cmd: [
        "run",
        ...(run.remoteWriteUrl ? ["--out", "experimental-prometheus-rw"] : []),
        "--tag", `testid=${context.testId}`,
        "--tag", `service=${run.service}`,
        "--no-color",
        `/scripts/${run.script}`,
      ],
      env: {
        ...(run.profile ? { PROFILE: run.profile } : {}),
        ...(run.remoteWriteUrl
          ? { K6_PROMETHEUS_RW_SERVER_URL: run.remoteWriteUrl, K6_PROMETHEUS_RW_TREND_STATS: "p(95),p(99),avg,max", K6_PROMETHEUS_RW_PUSH_INTERVAL: "5s" }
          : {}),
      },
      binds: [`${context.scriptsDir}:/scripts:ro`],
      network: run.network,
      extraHosts: run.network === "host" ? [] : ["host.docker.internal:host-gateway"],
      labels: { "io.obs-stack.synthetics": context.testId },
    },
    (line, stream) => {
      if (stream === "stdout") stdout += `${line}\n`;
      if (line.includes(SUMMARY_MARKER) || line.trim() === "") return;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      out.info(`  [${run.service}] ${line}`);
    },
  );
  const summary = extractSummary(stdout);
  if (!summary || (exitCode !== 0 && exitCode !== K6_THRESHOLDS_BREACHED))
    return [
      {
        name: `${run.service}: k6 run`,
        status: "fail",
        message: `k6 exited with code ${exitCode}${summary ? "" : " without a summary"}: ${tail.join(" | ") || "no output"}`,
        durationMs: Date.now() - started,
      },
    ];
  return summaryOutcomes(run.service, summary, run.checkNames, run.profile);
}
