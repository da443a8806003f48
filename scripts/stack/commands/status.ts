/** `npm run status`: service, state, health, uptime, URL — and a non-zero exit if anything is unwell. */
import { parse } from "yaml";
import type { CommonOptions } from "../args.ts";
import { COMPONENT_NAMES, SERVICE_NAMES } from "../catalog/components.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { renderCompose } from "../render/compose.ts";
import { projectContainers, dockerReachable } from "../runtime/docker.ts";
import { componentUrl, formatTable } from "../table.ts";
import { loadProject } from "./project.ts";

export interface ServiceStatus {
  service: string;
  state: string;
  health: string;
  uptime: string;
  url: string | null;
  ok: boolean;
}

export async function status(options: CommonOptions, out: Output): Promise<ServiceStatus[]> {
  const { model } = await loadProject(options, false);
  if (!(await dockerReachable())) throw new StackError("PREFLIGHT_FAILED", "the Docker engine is not reachable", "start Docker and try again");
  const expected = Object.keys((parse(renderCompose(model)) as { services: Record<string, unknown> }).services);
  const containers = await projectContainers(model.config.project.name);
  const urls = new Map(COMPONENT_NAMES.filter((name) => model.enabled[name]).map((name) => [SERVICE_NAMES[name], componentUrl(model.config, name)]));

  const statuses = expected.map((service): ServiceStatus => {
    const container = containers.find((c) => c.service === service);
    if (!container) return { service, state: "missing", health: "-", uptime: "-", url: urls.get(service) ?? null, ok: false };
    const ok = container.state === "running" && container.health !== "unhealthy" && container.health !== "starting";
    return {
      service,
      state: container.state,
      health: container.health === "none" ? "no healthcheck" : container.health,
      uptime: container.state === "running" ? container.status.replace(/^Up\s+/, "").replace(/\s*\(.*\)$/, "") : "-",
      url: urls.get(service) ?? null,
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
