/**
 * `npm run validate`: generate, then run every validator on the bundle — the components' own tools
 * and the typed models of the formats whose tools are image-only here (Loki, Promtail, Alloy, k6,
 * Grafana provisioning). An image-only tool that cannot run (no binary on PATH, and its image cannot
 * be pulled) is reported as "not run", never as a pass; it fails the command only with `--strict`
 * (what CI that can pull images uses: `npm run validate -- --strict`). Each declared host's agent
 * bundle (config.hosts) goes through the validators that have a file in it too.
 */
import { join } from "node:path";
import type { RunnableCommand, Options } from "../args.ts";
import { VALIDATE } from "./specs.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import type { Bundle } from "../bundle/bundle.ts";
import type { StackModel } from "../config/model.ts";
import { localExpressionParsers } from "../validate/expression-parsers.ts";
import { checkExpressions, collectExpressions, formatFailure } from "../validate/expressions.ts";
import { writeK6Scripts, writeRuleTests } from "../validate/rule-tests.ts";
import { runValidators, type ValidatorResult, type ValidatorStatus } from "../validate/run-validators.ts";
import { generate, type GenerateResult } from "./generate.ts";
import { agentModel, renderAgentBundle } from "../render/agent.ts";
import { AGENT_TOKEN_ENV } from "../config/agents.ts";
import { writeScratchFiles } from "../validate/scratch-files.ts";

const MARK: Readonly<Record<ValidatorStatus, string>> = { pass: "ok     ", fail: "FAIL   ", unavailable: "NOT RUN", skipped: "skip   " };

export const validateCommand: RunnableCommand<typeof VALIDATE.flags> = { ...VALIDATE, run: validate };

export async function validate(options: Options<typeof VALIDATE.flags>, out: Output): Promise<ValidatorResult[]> {
  const generated = await generate(options, out);
  const onDemand = [writeRuleTests(generated.outDir, generated.model), writeK6Scripts(generated.outDir, generated.model)];
  let results: ValidatorResult[];
  try {
    results = await runValidators({
      model: generated.model,
      bundleDir: generated.outDir,
      bundlePaths: [...generated.bundle.keys(), ...onDemand.flatMap((files) => files.paths)],
      envFile: generated.envFile,
    });
  } finally {
    for (const files of onDemand) files.remove();
  }
  results.push(...(await agentResults(generated)));
  results.push(await expressionsResult(generated.model, generated.bundle));
  const counts = countByStatus(results);
  if (options.json) out.result(JSON.stringify({ results, summary: counts }, null, 2));
  else {
    for (const result of results) out.result(formatResult(result));
    out.result(summaryLine(counts));
    if (counts.unavailable > 0 && !options.strict)
      out.result(`note: ${counts.unavailable} validator${counts.unavailable === 1 ? "" : "s"} could not run here; their files were checked by the typed models only. \`--strict\` makes this an error.`);
  }
  const failed = results.filter((result) => result.status === "fail");
  const notRun = options.strict ? results.filter((result) => result.status === "unavailable") : [];
  if (failed.length > 0 || notRun.length > 0)
    throw new StackError(
      "VALIDATION_FAILED",
      [
        failed.length > 0 ? `${failed.length} validator${failed.length === 1 ? "" : "s"} failed: ${failed.map((r) => r.name).join(", ")}` : "",
        notRun.length > 0 ? `${notRun.length} could not run (--strict): ${notRun.map((r) => r.name).join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; "),
      failed.length > 0
        ? "Each finding above comes from the component's own validator or the typed model of its file; fix the config field that produced it."
        : "Run where Docker can pull the pinned images, or put the tools on PATH.",
    );
  return results;
}

/** Rendered next to the bundle while they are checked, as `npm run agent` would write them on each host. */
async function agentResults(generated: GenerateResult): Promise<ValidatorResult[]> {
  const results: ValidatorResult[] = [];
  for (const host of generated.model.config.hosts) {
    const dir = `.agent-${host.name}`;
    const bundle = renderAgentBundle(generated.model, host);
    const scratch = writeScratchFiles(generated.outDir, dir, new Map([...bundle].map(([path, text]) => [`${dir}/${path}`, text])));
    try {
      const ran = await runValidators({
        model: agentModel(generated.model, host),
        bundleDir: join(generated.outDir, dir),
        bundlePaths: [...bundle.keys()],
        envFile: generated.envFile,
        // The host's token is on its host only (the agent refuses to start without one).
        placeholderEnv: { [AGENT_TOKEN_ENV]: "validate-placeholder" },
      });
      results.push(...ran.filter((result) => result.status !== "skipped").map((result) => ({ ...result, name: `${result.name} (agent of ${host.name})` })));
    } finally {
      scratch.remove();
    }
  }
  return results;
}

type StatusCounts = Record<ValidatorStatus, number>;

function countByStatus(results: readonly ValidatorResult[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, unavailable: 0, skipped: 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}

function summaryLine(counts: StatusCounts): string {
  return `validators: ${counts.pass} pass, ${counts.fail} fail, ${counts.unavailable} not run, ${counts.skipped} skipped (component disabled)`;
}

/** Dashboard queries have no validator of their own: every PromQL and LogQL expression goes through the pinned parsers. */
async function expressionsResult(model: StackModel, bundle: Bundle): Promise<ValidatorResult> {
  const started = Date.now();
  const expressions = collectExpressions(bundle);
  const fileCount = new Set(expressions.map((expression) => expression.file)).size;
  const base = { name: "PromQL/LogQL expressions parse", files: [`${expressions.length} expressions in ${fileCount} files`], tool: "promtool + LogQL parser" };
  const local = localExpressionParsers(model);
  // promtool is buildable: a missing one is the user's to fix with `npm run tools`, like every buildable tool.
  if ("missing" in local) return { ...base, status: "fail", durationMs: 0, detail: `${local.missing}; run \`npm run tools\`` };
  try {
    const failures = await checkExpressions(expressions, local.parsers);
    return { ...base, status: failures.length ? "fail" : "pass", durationMs: Date.now() - started, detail: failures.map(formatFailure).join("\n") };
  } catch (error) {
    // A parser that crashes is a finding like any other; it must not hide the other validators' results.
    return { ...base, status: "fail", durationMs: Date.now() - started, detail: (error as Error).message };
  }
}

function formatResult(result: ValidatorResult): string {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const head = `${MARK[result.status]} ${result.name.padEnd(56)} ${result.files.join(" ") || "-"}`;
  const tail = result.status === "skipped" || result.status === "unavailable" ? `(${result.detail})` : `${seconds}s  ${result.tool}`;
  const detail = result.status === "fail" ? `\n${result.detail.replace(/^/gm, "        | ")}` : "";
  return `${head}  ${tail}${detail}`;
}
