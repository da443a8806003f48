/** `npm run status`: service, state, health, uptime, URL — and a non-zero exit if anything is unwell. */
import { JSON_FLAG, STACK_FLAGS, type Command, type Options } from "../args.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { buildPlan } from "../render/plan.ts";
import { projectContainers, requireDocker } from "../runtime/docker.ts";
import { formatTable } from "../table.ts";
import { loadProject } from "./project.ts";

export interface ServiceStatus {
  service: string;
  state: string;
  health: string;
  uptime: string;
  url: string | null;
  ok: boolean;
}

const flags = { ...STACK_FLAGS, json: JSON_FLAG };

export const statusCommand: Command<typeof flags> = {
  name: "status",
  summary: "Service, state, health, uptime and URL of each container; fails if any is missing or unhealthy",
  flags,
  run: status,
};

export async function status(options: Options<typeof flags>, out: Output): Promise<ServiceStatus[]> {
  const { model } = await loadProject(options, false);
  await requireDocker("start Docker and try again");
  const containers = await projectContainers(model.config.project.name);

  const statuses = buildPlan(model).services.map(({ name: service, url }): ServiceStatus => {
    const container = containers.find((c) => c.service === service);
    if (!container) return { service, state: "missing", health: "-", uptime: "-", url, ok: false };
    const ok = container.state === "running" && container.health !== "unhealthy" && container.health !== "starting";
    return {
      service,
      state: container.state,
      health: container.health === "none" ? "no healthcheck" : container.health,
      uptime: container.state === "running" ? container.status.replace(/^Up\s+/, "").replace(/\s*\(.*\)$/, "") : "-",
      url,
      ok,
    };
  });

  if (options.json) out.result(JSON.stringify({ project: model.config.project.name, services: statuses }, null, 2));
  else out.result(formatTable(["service", "state", "health", "uptime", "url"], statuses.map((s) => [s.service, s.state, s.health, s.uptime, s.url ?? "-"])));
  const unwell = statuses.filter((s) => !s.ok);
  if (unwell.length > 0)
    throw new StackError("UNHEALTHY", `${unwell.length} service(s) not healthy: ${unwell.map((s) => `${s.service} (${s.state}, ${s.health})`).join(", ")}`, `see \`npm run logs -- ${unwell[0]!.service}\``);
  return statuses;
}
