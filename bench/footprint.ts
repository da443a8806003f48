/**
 * Each container's footprint while the stack idles with the demo's own background traffic: memory
 * working set (what cAdvisor's container_memory_working_set_bytes and the kernel's OOM decision go
 * by) and CPU, from the engine's stats API, beside the memory limit the defaults give it.
 */
import { docker } from "../scripts/stack/runtime/docker.ts";
import type { StackSession } from "./stack-session.ts";
import { spread, type Spread } from "./stats.ts";

/** The parts of the engine's stats answer (cgroup v1 or v2) the footprint reads. */
export interface EngineStats {
  read: string;
  cpu_stats: { cpu_usage: { total_usage: number } };
  memory_stats: { usage?: number; stats?: Record<string, number> };
}

export interface ContainerFootprint {
  service: string;
  /** The catalog component it runs, when it is one (the demo and the exporters' peers are not). */
  component: string | undefined;
  workingSetMb: Spread;
  /** At the end of the idle window. */
  lastWorkingSetMb: number;
  /** Average CPU over the window, in cores (1.0 = one core busy). */
  cpuCores: number;
  /** The container's memory limit now, in MiB (0: none). */
  limitMb: number;
}

export interface FootprintResult {
  idleSeconds: number;
  samples: number;
  containers: ContainerFootprint[];
}

const MIB = 1024 * 1024;

/** Usage less the inactive file cache, as cAdvisor and the kubelet compute it (v2: inactive_file, v1: total_inactive_file). */
export function workingSetBytes(stats: EngineStats): number {
  const usage = stats.memory_stats.usage ?? 0;
  const inactive = stats.memory_stats.stats?.inactive_file ?? stats.memory_stats.stats?.total_inactive_file ?? 0;
  return Math.max(0, usage - inactive);
}

/** Average cores used between two samples of the same container. */
export function cpuCoresBetween(first: EngineStats, last: EngineStats): number {
  const wallNs = (Date.parse(last.read) - Date.parse(first.read)) * 1e6;
  if (wallNs <= 0) return 0;
  return (last.cpu_stats.cpu_usage.total_usage - first.cpu_stats.cpu_usage.total_usage) / wallNs;
}

/**
 * The default memory limit a measured footprint supports: twice the peak working set, at least the
 * floor, rounded up to a multiple of 32 MiB, written the way the catalog writes limits ("96m", "1g").
 */
export function suggestedLimit(peakWorkingSetMb: number, floorMb = 64): string {
  const mb = Math.ceil(Math.max(2 * peakWorkingSetMb, floorMb) / 32) * 32;
  return mb % 1024 === 0 ? `${mb / 1024}g` : `${mb}m`;
}

/**
 * How far the idle footprint can set a component's default limit. The idle stack holds almost no
 * data, so a component whose memory grows with what users send keeps a floor above twice its idle
 * peak, and the three that hold the ingested telemetry itself keep their limit until a load that
 * looks like a user's is measured (the headroom section gives their peak under synthetic load).
 */
export const LIMIT_POLICY: Partial<Record<string, { floorMb: number; why: string } | { keep: string }>> = {
  alertmanager: { floorMb: 128, why: "holds the firing alerts, silences and notification log" },
  pushgateway: { floorMb: 128, why: "holds every pushed group until deleted" },
  statsdExporter: { floorMb: 128, why: "holds a series for every StatsD metric name and tag set" },
  cadvisor: { floorMb: 128, why: "grows with the number of containers on the host" },
  prometheus: { keep: "its head block grows with active series and the 2 h before compaction" },
  jaeger: { keep: "its Badger store caches recent traces in memory" },
  otelCollector: { keep: "its memory_limiter refuses data at 80% of this limit, so the limit is its burst capacity" },
};

/** The limit the policy gives a measured component, or why it keeps its own. */
export function limitFor(component: string, peakWorkingSetMb: number): { limit: string; why: string } | { keep: string } {
  const policy = LIMIT_POLICY[component];
  if (policy && "keep" in policy) return policy;
  return { limit: suggestedLimit(peakWorkingSetMb, policy?.floorMb), why: policy?.why ?? "stateless" };
}

export async function measureFootprint(
  session: StackSession,
  options: { idleSeconds: number; everySeconds: number; componentOf: (service: string) => string | undefined },
  log: (line: string) => void,
): Promise<FootprintResult> {
  await session.cli("up");
  const containers = await session.containers();
  const limits = new Map(
    await Promise.all(containers.map(async (c) => [c.service, ((await docker().getContainer(c.id).inspect()).HostConfig.Memory ?? 0) / MIB] as const)),
  );
  const series = new Map<string, EngineStats[]>(containers.map((c) => [c.service, []]));
  const sample = async () => {
    await Promise.all(
      containers.map(async (c) => series.get(c.service)!.push((await docker().getContainer(c.id).stats({ stream: false })) as unknown as EngineStats)),
    );
  };
  const started = Date.now();
  await sample();
  while (Date.now() - started < options.idleSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.everySeconds * 1000, started + options.idleSeconds * 1000 - Date.now())));
    await sample();
    log(`  idle ${Math.round((Date.now() - started) / 1000)} s of ${options.idleSeconds} s`);
  }
  return {
    idleSeconds: options.idleSeconds,
    samples: series.values().next().value?.length ?? 0,
    containers: containers
      .map((c) => {
        const stats = series.get(c.service)!;
        const workingSets = stats.map((s) => workingSetBytes(s) / MIB);
        return {
          service: c.service,
          component: options.componentOf(c.service),
          workingSetMb: spread(workingSets),
          lastWorkingSetMb: workingSets.at(-1)!,
          cpuCores: cpuCoresBetween(stats[0]!, stats.at(-1)!),
          limitMb: limits.get(c.service) ?? 0,
        };
      })
      .sort((a, b) => a.service.localeCompare(b.service)),
  };
}
