/**
 * Docker gives a new volume the owner of the image's directory at the mount path, and makes it
 * root's when the image has none there (the official Collector image: FROM scratch, user 10001).
 * Before `up` starts the stack, every directory the plan says a service must own is created in its
 * volume with that owner, through the engine's archive API into the service's container as Compose
 * creates it — no helper image, no root inside the component. Nothing is done when they exist.
 */
import type { PlannedService, StackPlan } from "../render/plan.ts";
import { createServiceContainer, type ComposeProject } from "./compose-cli.ts";
import { createOwnedDirectory, pathExists, projectContainers } from "./docker.ts";

async function missingDirs(containerId: string | undefined, service: PlannedService): Promise<PlannedService["ownedDirs"]> {
  if (!containerId) return service.ownedDirs;
  const missing: PlannedService["ownedDirs"] = [];
  for (const dir of service.ownedDirs) if (!(await pathExists(containerId, dir.path))) missing.push(dir);
  return missing;
}

export async function prepareOwnedDirs(project: ComposeProject, plan: StackPlan): Promise<void> {
  for (const service of plan.services.filter((candidate) => candidate.ownedDirs.length > 0)) {
    const existing = (await projectContainers(plan.project)).find((container) => container.service === service.name);
    const missing = await missingDirs(existing?.id, service);
    if (missing.length === 0) continue;
    const containerId = await createServiceContainer(project, service.name);
    for (const dir of missing) await createOwnedDirectory(containerId, dir.path, dir.uid);
  }
}
