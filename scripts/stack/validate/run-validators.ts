/** Runs the validators over a written bundle; one result per validator, never throws on findings. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { StackModel } from "../config/model.ts";
import { dockerReachable, imagePresent, pullImage, runOneShot } from "../runtime/docker.ts";
import { describeTool, resolveTool, type ResolvedTool } from "./tool-resolver.ts";
import { VALIDATORS, type ValidatorSpec } from "./validators.ts";

export type ValidatorStatus = "pass" | "fail" | "skipped";

export interface ValidatorResult {
  name: string;
  status: ValidatorStatus;
  files: string[];
  tool: string;
  durationMs: number;
  /** Tool output on failure, or why it was skipped. */
  detail: string;
}

const CONTAINER_BUNDLE = "/bundle";

export async function runValidators(options: {
  model: StackModel;
  bundleDir: string;
  bundlePaths: readonly string[];
  envFile: string;
  only?: readonly string[];
}): Promise<ValidatorResult[]> {
  const results: ValidatorResult[] = [];
  for (const spec of VALIDATORS) {
    if (options.only && !options.only.includes(spec.name)) continue;
    const files = spec.files(options.bundlePaths);
    if (files.length === 0) {
      results.push({ name: spec.name, status: "skipped", files, tool: "-", durationMs: 0, detail: "component disabled" });
      continue;
    }
    results.push(await runOne(spec, files, options));
  }
  return results;
}

async function runOne(
  spec: ValidatorSpec,
  files: string[],
  options: { model: StackModel; bundleDir: string; envFile: string },
): Promise<ValidatorResult> {
  const started = Date.now();
  const resolved = resolveTool(spec.tool, options.model);
  const finish = (status: ValidatorStatus, tool: string, detail: string): ValidatorResult => ({
    name: spec.name,
    status,
    files,
    tool,
    durationMs: Date.now() - started,
    detail: detail.trim(),
  });
  if (!resolved)
    return finish(
      "fail",
      "-",
      `${spec.tool} is not installed and cannot be run from an image. Install it, or build the pinned validators with \`npm run tools\`.`,
    );
  if (resolved.kind === "image" && !(await dockerReachable()))
    return finish(
      "fail",
      describeTool(resolved),
      `${spec.tool} is not on PATH and Docker is not reachable to run ${resolved.image}. Start Docker, or build the pinned validators with \`npm run tools\`.`,
    );
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

async function execute(
  resolved: ResolvedTool,
  spec: ValidatorSpec,
  files: string[],
  caseArgs: readonly string[],
  options: { bundleDir: string; envFile: string },
): Promise<{ exitCode: number; output: string }> {
  if (resolved.kind === "image") {
    if (!(await imagePresent(resolved.image))) await pullImage(resolved.image, () => undefined);
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
  const run = spawnSync(command, fullArgs, { cwd: options.bundleDir, encoding: "utf8", timeout: 120_000 });
  if (run.error) throw run.error;
  return { exitCode: run.status ?? 1, output: `${run.stdout ?? ""}${run.stderr ?? ""}` };
}
