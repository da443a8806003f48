/**
 * Docker gives a new volume the owner of the image's directory at the mount path, and makes it
 * root's when the image has none there (the official Collector image: FROM scratch, user 10001).
 * Before `up` starts the stack, every directory the plan says a service must own is created in its
 * volume with that owner, through the engine's archive API into the service's container as Compose
 * creates it — no helper image, no root inside the component. Nothing is done when they exist.
 */
import { StackError } from "../errors.ts";
import type { PlannedService, StackPlan } from "../render/plan.ts";
import { runCompose, type ComposeProject } from "./compose-cli.ts";
import { createOwnedDirectory, pathExists, projectContainers } from "./docker.ts";

async function containerOf(project: string, service: string): Promise<string | undefined> {
  return (await projectContainers(project)).find((container) => container.service === service)?.id;
}

async function missingDirs(containerId: string | undefined, service: PlannedService): Promise<PlannedService["ownedDirs"]> {
  if (!containerId) return service.ownedDirs;
  const missing: PlannedService["ownedDirs"] = [];
  for (const dir of service.ownedDirs) if (!(await pathExists(containerId, dir.path))) missing.push(dir);
  return missing;
}

export async function prepareOwnedDirs(project: ComposeProject, plan: StackPlan): Promise<void> {
  for (const service of plan.services.filter((candidate) => candidate.ownedDirs.length > 0)) {
    const missing = await missingDirs(await containerOf(plan.project, service.name), service);
    if (missing.length === 0) continue;
    // The container as the bundle now describes it, with its volumes, created but not started.
    const created = await runCompose(project, ["create", service.name], { quiet: true });
    if (created.code !== 0) throw new StackError("COMPOSE_FAILED", `docker compose create ${service.name} failed (exit ${created.code}): ${created.output.trim()}`, "see `npm run status`");
    const containerId = await containerOf(plan.project, service.name);
    if (!containerId) throw new StackError("COMPOSE_FAILED", `docker compose create made no ${service.name} container`, "see `npm run status`");
    for (const dir of missing) await createOwnedDirectory(containerId, dir.path, dir.uid);
  }
}
