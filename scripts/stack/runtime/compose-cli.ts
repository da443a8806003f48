/**
 * Runs the Docker Compose CLI against the generated bundle. Compose is the engine: the bootstrapper
 * never re-implements what `docker compose` does, it only decides when to call it.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { StackError } from "../errors.ts";
import { projectContainers } from "./docker.ts";
import { resolveTool } from "./tool-resolver.ts";

const execFileAsync = promisify(execFile);

export interface ComposeProject {
  bundleDir: string;
  envFile: string;
  model: ResolvedStack;
}

/** `prefix` selects Compose (["compose"] for the docker plugin); `files` selects the project. */
function composeBinary(project: ComposeProject): { command: string; prefix: string[] } {
  const resolved = resolveTool("compose", project.model);
  if (resolved?.kind === "binary") return { command: resolved.path, prefix: [] };
  if (resolved?.kind === "docker-plugin") return { command: "docker", prefix: ["compose"] };
  throw new StackError(
    "TOOL_UNAVAILABLE",
    "Docker Compose v2 was not found (neither `docker compose` nor `docker-compose`).",
    "Install the Compose plugin (docker-compose-plugin), or build the pinned one with `npm run tools -- --only compose`.",
  );
}

function baseCommand(project: ComposeProject): { command: string; args: string[] } {
  const { command, prefix } = composeBinary(project);
  const files = [...(existsSync(project.envFile) ? ["--env-file", project.envFile] : []), "-f", join(project.bundleDir, "compose.yaml")];
  return { command, args: [...prefix, ...files] };
}

/** Compose's version, e.g. "5.7.0" or "2.29.1". Asynchronous, so preflight asks the engine meanwhile. */
export async function composeVersion(project: ComposeProject): Promise<string> {
  const { command, prefix } = composeBinary(project);
  try {
    const { stdout } = await execFileAsync(command, [...prefix, "version", "--short"], { encoding: "utf8" });
    return stdout.trim().replace(/^v/, "");
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new StackError("TOOL_UNAVAILABLE", `\`${command} version\` failed: ${stderr || (error as Error).message}`, "Reinstall Docker Compose v2.");
  }
}

/** Runs compose to completion, streaming its output to ours; resolves with its exit code. */
export function runCompose(project: ComposeProject, args: string[], options: { quiet?: boolean } = {}): Promise<{ code: number; output: string }> {
  const { command, args: base } = baseCommand(project);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...base, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      if (!options.quiet) stream.write(chunk);
    };
    child.stdout.on("data", collect(process.stdout));
    child.stderr.on("data", collect(process.stderr));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Runs compose quietly; a failure is an error carrying what compose said. */
export async function runComposeOrFail(project: ComposeProject, args: string[]): Promise<void> {
  const result = await runCompose(project, args, { quiet: true });
  if (result.code !== 0) throw new StackError("COMPOSE_FAILED", `docker compose ${args.join(" ")} failed (exit ${result.code}): ${result.output.trim()}`, "see `npm run status`");
}

/** The service's container as the bundle describes it, with its volumes, created but not started: its id. */
export async function createServiceContainer(project: ComposeProject, service: string): Promise<string> {
  await runComposeOrFail(project, ["create", service]);
  const container = (await projectContainers(project.model.config.project.name)).find((candidate) => candidate.service === service);
  if (!container) throw new StackError("COMPOSE_FAILED", `docker compose create made no ${service} container`, "see `npm run status`");
  return container.id;
}

/** Hands the terminal to compose (for `logs -f`), returning its exit code. */
export function attachCompose(project: ComposeProject, args: string[]): Promise<number> {
  const { command, args: base } = baseCommand(project);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...base, ...args], { stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
}
