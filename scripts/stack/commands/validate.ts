/** `npm run validate`: generate, then run every component's own validator on the bundle. */
import type { CommonOptions } from "../args.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import type { Bundle } from "../render/bundle.ts";
import type { StackModel } from "../config/model.ts";
import { localExpressionParsers } from "../validate/expression-parsers.ts";
import { checkExpressions, collectExpressions, formatFailure } from "../validate/expressions.ts";
import { runValidators, type ValidatorResult } from "../validate/run-validators.ts";
import { generate } from "./generate.ts";

const MARK = { pass: "ok  ", fail: "FAIL", skipped: "skip" } as const;

export async function validate(options: CommonOptions, out: Output): Promise<ValidatorResult[]> {
  const generated = await generate(options, out);
  const results = await runValidators({
    model: generated.model,
    bundleDir: generated.outDir,
    bundlePaths: [...generated.bundle.keys()],
    envFile: generated.envFile,
  });
  results.push(await expressionsResult(generated.model, generated.bundle));
  if (options.json) out.result(JSON.stringify({ results }, null, 2));
  else for (const result of results) out.result(formatResult(result));
  const failed = results.filter((result) => result.status === "fail");
  if (failed.length > 0)
    throw new StackError(
      "VALIDATION_FAILED",
      `${failed.length} validator${failed.length === 1 ? "" : "s"} failed: ${failed.map((r) => r.name).join(", ")}`,
      "Each finding above comes from the component's own validator; fix the config field that produced it.",
    );
  return results;
}

/** Dashboard queries have no validator of their own: every PromQL and LogQL expression goes through the pinned parsers. */
async function expressionsResult(model: StackModel, bundle: Bundle): Promise<ValidatorResult> {
  const started = Date.now();
  const expressions = collectExpressions(bundle);
  const fileCount = new Set(expressions.map((expression) => expression.file)).size;
  const base = { name: "PromQL/LogQL expressions parse", files: [`${expressions.length} expressions in ${fileCount} files`], tool: "promtool + logql-check" };
  const local = localExpressionParsers(model);
  if ("missing" in local) return { ...base, status: "skipped", durationMs: 0, detail: `${local.missing}; run \`npm run tools\`` };
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
  const head = `${MARK[result.status]} ${result.name.padEnd(34)} ${result.files.join(" ") || "-"}`;
  const tail = result.status === "skipped" ? `(${result.detail})` : `${seconds}s  ${result.tool}`;
  const detail = result.status === "fail" ? `\n${result.detail.replace(/^/gm, "     | ")}` : "";
  return `${head}  ${tail}${detail}`;
}
