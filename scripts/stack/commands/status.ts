/**
 * `npm run status`: service, state, health, uptime, URL, then each data volume's free space — and
 * a non-zero exit if a service is unwell or a volume is full.
 */
import type { RunnableCommand, Options } from "../args.ts";
import { STATUS } from "./specs.ts";
import { StackError } from "../errors.ts";
import { agentHostReports, type HostReport } from "../checks/agent-hosts.ts";
import { staleAfterSeconds, stackVolumeSpace, type VolumeSpace } from "../checks/volume-space.ts";
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

export const statusCommand: RunnableCommand<typeof STATUS.flags> = { ...STATUS, run: status };

export async function status(options: Options<typeof STATUS.flags>, out: Output): Promise<{ services: ServiceStatus[]; volumes: VolumeSpace[]; hosts: HostReport[] }> {
  const { model } = await loadProject(options, false);
  await requireDocker("start Docker and try again");
  const containers = await projectContainers(model.config.project.name);
  const plan = buildPlan(model);

  const statuses = plan.services.map(({ name: service, url }): ServiceStatus => {
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
  const [volumes, hosts] = await Promise.all([stackVolumeSpace(model, plan), agentHostReports(model)]);

  if (options.json) out.result(JSON.stringify({ project: model.config.project.name, services: statuses, volumes, hosts }, null, 2));
  else {
    out.result(formatTable(["service", "state", "health", "uptime", "url"], statuses.map((s) => [s.service, s.state, s.health, s.uptime, s.url ?? "-"])));
    const staleAfter = staleAfterSeconds(model);
    if (volumes.length > 0) out.result(`\n${formatTable(["volume", "service", "free", "filesystem", "state"], volumes.map((v) => volumeRow(v, staleAfter)))}`);
    // A silent host raises AgentHostDown; this stack itself is fine, so it fails nothing here.
    if (hosts.length > 0) out.result(`\n${formatTable(["host", "address", "last report", "state"], hosts.map(hostRow))}`);
  }
  const unwell = statuses.filter((s) => !s.ok);
  const full = volumes.filter((v) => v.state === "full");
  const problems = [
    ...(unwell.length > 0 ? [`${unwell.length} service(s) not healthy: ${unwell.map((s) => `${s.service} (${s.state}, ${s.health})`).join(", ")}`] : []),
    ...(full.length > 0 ? [`${full.length} volume(s) full: ${full.map((v) => `${v.volume} of ${v.service}`).join(", ")}`] : []),
  ];
  if (problems.length > 0)
    throw new StackError(
      "UNHEALTHY",
      problems.join("; "),
      unwell.length > 0 ? `see \`npm run logs -- ${unwell[0]!.service}\`` : "free space on it or lower the retention: see docs/runbooks/volume-full.md",
    );
  return { services: statuses, volumes, hosts };
}

function hostRow(report: HostReport): string[] {
  const last = report.lastReportAt === null ? (report.state === "unknown" ? "-" : "none in the last hour") : `${Math.max(0, Math.round(Date.now() / 1000 - report.lastReportAt))}s ago`;
  return [report.host, report.address ?? "-", last, report.state === "unknown" ? `unknown: ${report.reason}` : report.state];
}

function volumeRow(v: VolumeSpace, staleAfter: number): string[] {
  const free = v.freeBytes === null || v.sizeBytes === null ? "-" : `${mebibytes(v.freeBytes)} of ${mebibytes(v.sizeBytes)} (${Math.floor((100 * v.freeBytes) / Math.max(v.sizeBytes, 1))}%)`;
  const filesystem = v.filesystem ? `${v.filesystem.mountpoint} (${v.filesystem.device})` : "-";
  const age = v.measuredAt === null ? 0 : Math.round(Date.now() / 1000 - v.measuredAt);
  // Old numbers say that Prometheus stores nothing new: its own volume may be the full one.
  const stale = age > staleAfter ? ` (measured ${age}s ago: Prometheus stores no new samples)` : "";
  const state = v.state === "full" ? `FULL${stale}` : v.state === "unknown" ? `unknown: ${v.reason}` : `${v.state}${stale}`;
  return [v.volume, v.service, free, filesystem, state];
}

const mebibytes = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`);
