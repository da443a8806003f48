/** Runs the validators over a written bundle; one result per validator, never throws on findings. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isBuildable } from "../catalog/tools.ts";
import type { StackModel } from "../config/model.ts";
import { dockerReachable, imagePresent, pullImage, runOneShot } from "../runtime/docker.ts";
import { formatFinding } from "./models/findings.ts";
import { describeTool, resolveTool, type ResolvedTool } from "../runtime/tool-resolver.ts";
import { VALIDATORS, type ModelValidatorSpec, type ToolValidatorSpec } from "./validators.ts";

/**
 * pass/fail: the validator ran. unavailable: an image-only validator could not run here (no binary on
 * PATH, and its image could not be had) — not a verdict on the file. skipped: its component is disabled.
 */
export type ValidatorStatus = "pass" | "fail" | "unavailable" | "skipped";

export interface ValidatorResult {
  name: string;
  status: ValidatorStatus;
  files: string[];
  tool: string;
  durationMs: number;
  /** Findings on failure, or why it was not run or skipped. */
  detail: string;
}

const CONTAINER_BUNDLE = "/bundle";
const MODEL_TOOL = "typed model (in-process)";

interface RunOptions {
  model: StackModel;
  bundleDir: string;
  envFile: string;
  /** Variables the files expand that only their real host has (an agent's token): placeholders, so the tools judge the files' form. */
  placeholderEnv?: Readonly<Record<string, string>>;
}

export async function runValidators(options: RunOptions & { bundlePaths: readonly string[]; only?: readonly string[] }): Promise<ValidatorResult[]> {
  const results: ValidatorResult[] = [];
  for (const spec of VALIDATORS) {
    if (options.only && !options.only.includes(spec.name)) continue;
    const files = spec.files(options.bundlePaths);
    if (files.length === 0) {
      results.push({ name: spec.name, status: "skipped", files, tool: "-", durationMs: 0, detail: "component disabled" });
      continue;
    }
    results.push(spec.kind === "model" ? runModel(spec, files, options.bundleDir) : await runTool(spec, files, options));
  }
  return results;
}

function timer(name: string, files: string[]) {
  const started = Date.now();
  return (status: ValidatorStatus, tool: string, detail: string): ValidatorResult => ({
    name,
    status,
    files,
    tool,
    durationMs: Date.now() - started,
    detail: detail.trim(),
  });
}

function runModel(spec: ModelValidatorSpec, files: string[], bundleDir: string): ValidatorResult {
  const finish = timer(spec.name, files);
  const findings = files.flatMap((file) => spec.check(readFileSync(join(bundleDir, file), "utf8")).map((item) => `${file}: ${formatFinding(item)}`));
  return finish(findings.length ? "fail" : "pass", MODEL_TOOL, findings.join("\n"));
}

async function runTool(spec: ToolValidatorSpec, files: string[], options: RunOptions): Promise<ValidatorResult> {
  const finish = timer(spec.name, files);
  const resolved = resolveTool(spec.tool, options.model);
  if (!resolved)
    return finish(
      "fail",
      "-",
      `${spec.tool} is not installed and cannot be run from an image. Install it, or build the pinned validators with \`npm run tools\`.`,
    );
  if (resolved.kind === "image") {
    const missing = await imageProblem(resolved.image);
    if (missing && !isBuildable(spec.tool))
      return finish("unavailable", describeTool(resolved), `image-only validator; not runnable without pulling ${resolved.image} (${missing}); or put ${spec.tool} on PATH`);
    if (missing) return finish("fail", describeTool(resolved), `${spec.tool} is not on PATH and ${missing}. Start Docker, or build the pinned validators with \`npm run tools\`.`);
  }
  try {
    const failures: string[] = [];
    const runs = spec.perFile
      ? files.map((file) => ({ name: file, args: [], files: [file] }))
      : (spec.cases?.(options.model) ?? [{ name: "", args: [] }]).map((run) => ({ ...run, files }));
    for (const { name, args, files: runFiles } of runs) {
      const { exitCode, output } = await execute(resolved, spec, runFiles, args, options);
      if (exitCode !== 0) failures.push(name ? `${name}: ${output.trim()}` : output);
    }
    return finish(failures.length ? "fail" : "pass", describeTool(resolved), failures.join("\n"));
  } catch (error) {
    return finish("fail", describeTool(resolved), (error as Error).message);
  }
}

/** Why the image cannot be used here (pulling it when absent), or undefined when it is present. */
async function imageProblem(image: string): Promise<string | undefined> {
  if (!(await dockerReachable())) return "Docker is not reachable";
  if (await imagePresent(image)) return undefined;
  try {
    await pullImage(image, () => undefined);
    return undefined;
  } catch (error) {
    return `the pull failed: ${(error as Error).message.split("\n")[0]}`;
  }
}

async function execute(
  resolved: ResolvedTool,
  spec: ToolValidatorSpec,
  files: string[],
  caseArgs: readonly string[],
  options: RunOptions,
): Promise<{ exitCode: number; output: string }> {
  if (resolved.kind === "image") {
    const args = [
      ...spec.args(
        files.map((file) => `${CONTAINER_BUNDLE}/${file}`),
        { envFile: undefined },
      ),
      ...caseArgs,
    ];
    return runOneShot({
      image: resolved.image,
      entrypoint: resolved.entrypoint,
      args,
      binds: [`${options.bundleDir}:${CONTAINER_BUNDLE}:ro`],
    });
  }
  const args = [
    ...spec.args(
      files.map((file) => join(options.bundleDir, file)),
      { envFile: existsSync(options.envFile) ? options.envFile : undefined },
    ),
    ...caseArgs,
  ];
  const [command, fullArgs] = resolved.kind === "docker-plugin" ? ["docker", ["compose", ...args]] : [resolved.path, args];
  const run = spawnSync(command, fullArgs, { cwd: options.bundleDir, encoding: "utf8", timeout: 120_000, env: { ...process.env, ...options.placeholderEnv } });
  if (run.error) throw run.error;
  return { exitCode: run.status ?? 1, output: `${run.stdout ?? ""}${run.stderr ?? ""}` };
}
