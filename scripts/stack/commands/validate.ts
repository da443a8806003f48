/** `npm run validate`: generate, then run every component's own validator on the bundle. */
import type { CommonOptions } from "../args.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
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

function formatResult(result: ValidatorResult): string {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const head = `${MARK[result.status]} ${result.name.padEnd(34)} ${result.files.join(" ") || "-"}`;
  const tail = result.status === "skipped" ? `(${result.detail})` : `${seconds}s  ${result.tool}`;
  const detail = result.status === "fail" ? `\n${result.detail.replace(/^/gm, "     | ")}` : "";
  return `${head}  ${tail}${detail}`;
}
