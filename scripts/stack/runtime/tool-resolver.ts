/**
 * Decides how to run each validator tool: the cached pinned build (buildable tools only), PATH, or
 * the pinned image via Docker.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { TOOLS, isBuildable, type BuildableToolName, type ToolName } from "../catalog/tools.ts";
import type { StackModel } from "../config/model.ts";

export type ResolvedTool =
  | { kind: "binary"; path: string; origin: "cache" | "PATH" }
  | { kind: "docker-plugin" }
  | { kind: "image"; image: string; entrypoint: string | undefined };

function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STACK_CACHE_DIR ?? join(homedir(), ".cache", "obs-stack");
}

export function cachedToolPath(name: BuildableToolName, env: NodeJS.ProcessEnv = process.env): string {
  const tool = TOOLS[name];
  return join(cacheDir(env), "bin", `${tool.build.cacheName}-${tool.version}`, tool.binary);
}

function onPath(binary: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function composePluginWorks(): boolean {
  return spawnSync("docker", ["compose", "version"], { stdio: "ignore" }).status === 0;
}

/** Returns undefined when the tool cannot be run locally at all (the caller may still try Docker). */
export function resolveTool(name: ToolName, model: StackModel, env: NodeJS.ProcessEnv = process.env): ResolvedTool | undefined {
  const tool = TOOLS[name];
  if (isBuildable(name)) {
    const cached = cachedToolPath(name, env);
    if (existsSync(cached)) return { kind: "binary", path: cached, origin: "cache" };
  }
  // A `docker-compose` on PATH is often the retired v1; the v2 plugin comes first.
  if (name === "compose" && composePluginWorks()) return { kind: "docker-plugin" };
  const fromPath = onPath(tool.binary, env);
  if (fromPath) return { kind: "binary", path: fromPath, origin: "PATH" };
  if (tool.image === null) return undefined;
  const entrypoint = "entrypoint" in tool ? tool.entrypoint : undefined;
  return { kind: "image", image: model.images[tool.image], entrypoint };
}

export function describeTool(resolved: ResolvedTool): string {
  switch (resolved.kind) {
    case "binary":
      return `${resolved.path} (${resolved.origin})`;
    case "docker-plugin":
      return "docker compose (CLI plugin)";
    case "image":
      return `${resolved.image} (via Docker)`;
  }
}
