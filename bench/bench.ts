/**
 * `npm run bench`: the numbers in docs/benchmarks.md, section by section —
 * - generate: how `generate` scales from 10 to 5,000 declared services (no engine needed);
 * - up: `up` cold and with no change against `docker compose up -d --wait` on the same bundle;
 * - footprint: each container's memory and CPU while the default stack idles with the demo;
 * - alerts: alert latency end to end per severity, against the floor and the worst case;
 * - smoke: how long `smoke` takes;
 * - headroom: spans, metric points and log records a second the stack takes before anything is
 *   refused, fails or lags, each signal alone (`-- --signals logs` re-measures one, keeping the others).
 * The stack sections boot the e2e stack on the testbed's images (`npm run testbed` first). Each
 * section's results go to bench/results/<section>.json and the document is rendered from all of
 * them, so `-- --only up` re-measures one section and keeps the rest. `-- --short` runs the stack
 * sections with fewer runs and a 1-minute idle. `-- --quick` (CI, before the engine is set up):
 * generate at 10 and 100 services only, into reports/benchmarks-quick.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { SERVICE_NAMES } from "../scripts/stack/catalog/components.ts";
import { REPO_ROOT } from "../scripts/stack/render/templates.ts";
import { measureAlertLatency } from "./alert-latency.ts";
import { measureFootprint } from "./footprint.ts";
import { measureGenerateSection } from "./generate-scaling.ts";
import { measureHeadroom } from "./headroom.ts";
import { SIGNALS, type Signal } from "./headroom-load.ts";
import { benchmarksMarkdown } from "./report.ts";
import { loadResults, machineNow, saveResult, SECTION_NAMES, type SectionName, type Sections } from "./results.ts";
import { measureSmoke } from "./smoke-timing.ts";
import { engineVersion, withStack, type StackSession } from "./stack-session.ts";
import { measureUp } from "./up-vs-compose.ts";

const DOC = join(REPO_ROOT, "docs", "benchmarks.md");
const QUICK_DOC = join(REPO_ROOT, "reports", "benchmarks-quick.md");

const PLANS = {
  full: { generate: { runs: 5, sizes: [10, 100, 1000, 5000] }, upRounds: 5, idleSeconds: 600, sampleEvery: 20, alertRuns: 3, smokeRuns: 5, headroom: { rates: [1000, 2000, 4000, 8000, 16000, 32000, 64000], stepSeconds: 15, refinements: 2, budgetSeconds: 210 } },
  short: { generate: { runs: 5, sizes: [10, 100, 1000, 5000] }, upRounds: 3, idleSeconds: 60, sampleEvery: 10, alertRuns: 1, smokeRuns: 2, headroom: { rates: [1000, 4000], stepSeconds: 10, refinements: 0, budgetSeconds: 120 } },
};

const USAGE = "usage: npm run bench [-- --quick | [--short] [--only generate,up,footprint,alerts,smoke,headroom] [--runs N] [--signals spans,points,logs]]";

function parseArgs(argv: string[]): { quick: boolean; short: boolean; only: SectionName[]; runs: number | undefined; signals: Signal[] } {
  const options = { quick: false, short: false, only: [...SECTION_NAMES] as SectionName[], runs: undefined as number | undefined, signals: [...SIGNALS] as Signal[] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--quick") options.quick = true;
    else if (arg === "--short") options.short = true;
    else if (arg === "--only") {
      const names = (argv[++i] ?? "").split(",").filter(Boolean);
      const unknown = names.filter((name) => !(SECTION_NAMES as readonly string[]).includes(name));
      if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes sections among ${SECTION_NAMES.join(", ")}${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}`);
      options.only = names as SectionName[];
    } else if (arg === "--runs") {
      const runs = Number(argv[++i]);
      if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a whole number of runs, at least 1");
      options.runs = runs;
    } else if (arg === "--signals") {
      const names = (argv[++i] ?? "").split(",").filter(Boolean);
      const unknown = names.filter((name) => !(SIGNALS as readonly string[]).includes(name));
      if (names.length === 0 || unknown.length > 0) throw new Error(`--signals takes headroom signals among ${SIGNALS.join(", ")}${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}`);
      options.signals = names as Signal[];
    } else throw new Error(`unknown option ${arg}`);
  }
  if (options.quick && (options.short || options.runs !== undefined || argv.includes("--only") || argv.includes("--signals"))) throw new Error("--quick stands alone");
  return options;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const componentOf = (service: string) => Object.entries(SERVICE_NAMES).find(([, name]) => name === service)?.[0];

/** `keep` saves a partial result: a long section stopped before its end keeps what it measured. */
async function stackSection<K extends Exclude<SectionName, "generate">>(name: K, measure: (session: StackSession, keep: (result: Sections[K]) => void) => Promise<Sections[K]>): Promise<void> {
  const loadBefore = loadavg()[0]!;
  await withStack(async (session) => {
    const engine = await engineVersion();
    const keep = (result: Sections[K]) => saveResult(name, { date: new Date().toISOString(), machine: machineNow(loadBefore), stack: { engine, notBooted: session.notBooted }, result });
    keep(await measure(session, keep));
  });
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.quick) {
    log("--quick: generate only; the stack sections need the Docker engine and run in the full bench");
    const loadBefore = loadavg()[0]!;
    const result = measureGenerateSection([10, 100], 3, log);
    const markdown = benchmarksMarkdown({ generate: { date: new Date().toISOString(), machine: machineNow(loadBefore), result } }, { quick: true });
    mkdirSync(dirname(QUICK_DOC), { recursive: true });
    writeFileSync(QUICK_DOC, markdown);
    log(`written to ${QUICK_DOC}`);
    return;
  }
  const plan = options.short ? PLANS.short : PLANS.full;
  const runs = (planned: number) => options.runs ?? planned;
  const sections: Record<SectionName, () => Promise<void>> = {
    generate: async () => {
      const loadBefore = loadavg()[0]!;
      const result = measureGenerateSection(plan.generate.sizes, runs(plan.generate.runs), log);
      saveResult("generate", { date: new Date().toISOString(), machine: machineNow(loadBefore), result });
    },
    up: () => stackSection("up", (session) => measureUp(session, runs(plan.upRounds), log)),
    footprint: () => stackSection("footprint", (session) => measureFootprint(session, { idleSeconds: plan.idleSeconds, everySeconds: plan.sampleEvery, componentOf }, log)),
    alerts: () => stackSection("alerts", (session) => measureAlertLatency(session, runs(plan.alertRuns), log)),
    smoke: () => stackSection("smoke", (session) => measureSmoke(session, runs(plan.smokeRuns), log)),
    headroom: () =>
      stackSection("headroom", async (session, keep) => {
        // Ladders not re-measured now are kept (a results file from before ladders has none).
        const ladders = { ...loadResults().headroom?.result.ladders };
        await measureHeadroom(session, options.signals, plan.headroom, () => loadavg()[0]!, log, (ladder) => {
          ladders[ladder.signal] = ladder;
          keep({ ladders });
        });
        return { ladders };
      }),
  };
  for (const name of options.only) {
    log(`== ${name} (${new Date().toISOString()})`);
    await sections[name]();
    // After every section: what was measured so far is kept even if a later section fails.
    writeFileSync(DOC, benchmarksMarkdown(loadResults()));
  }
  log(`written to ${DOC}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run bench: ${(error as Error).message}\n${USAGE}\n`);
  process.exitCode = 1;
});
