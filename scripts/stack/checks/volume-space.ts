/**
 * Free space of the stack's data volumes, for `status`, read from Prometheus. A volume that is a
 * plain directory (Docker's default) has the space of the host filesystem holding it: the
 * node-exporter mount whose path is the longest prefix of the volume's path on the host (Docker
 * reports it), watched by HostDiskSpaceLow. A volume that is a filesystem of its own (tmpfs, a
 * device, NFS) is measured by the volume exporter, which mounts it (render/volume-exporter.ts) and
 * VolumeSpaceLow watches: node-exporter, not root, cannot search Docker's data root to reach it
 * (see docs/decisions.md), and the disk below it would say nothing about it.
 */
import { SERVICE_NAMES } from "../catalog/components.ts";
import { componentUrl } from "../config/addresses.ts";
import { HOST_LABEL } from "../config/agents.ts";
import type { StackModel } from "../config/model.ts";
import type { StackPlan } from "../render/plan.ts";
import { timingSeconds } from "../resolve/alert-latency.ts";
import { stateOwners, VOLUME_EXPORTER_SERVICE } from "../render/volume-exporter.ts";
import { docker } from "../runtime/docker.ts";
import { getJson } from "./http.ts";

/**
 * Low at HostDiskSpaceLow's and VolumeSpaceLow's ratio, full at VolumeFull's (rules/host.yml,
 * rules/volumes.yml; a unit test keeps them equal): writes are about to fail.
 */
export const VOLUME_LOW_RATIO = 0.1;
export const VOLUME_FULL_RATIO = 0.02;

export type VolumeState = "ok" | "low" | "full" | "unknown";

export interface VolumeSpace {
  service: string;
  /** As the bundle names it, e.g. "prometheus-data". */
  volume: string;
  state: VolumeState;
  freeBytes: number | null;
  sizeBytes: number | null;
  /** The filesystem the volume's space is measured on: the host's holding it, or the volume itself as the volume exporter mounts it. */
  filesystem: { mountpoint: string; device: string; fstype: string } | null;
  /** Unix time of the measurement: old when Prometheus stores no new samples (its own volume full, say). */
  measuredAt: number | null;
  /** Why the state is unknown. */
  reason?: string;
}

/** One filesystem as node-exporter or the volume exporter reports it. */
export interface FilesystemSample {
  /** Only from the volume exporter: the volume mounted there, as its scrape job labels it. */
  volume?: { service: string; volume: string };
  mountpoint: string;
  device: string;
  fstype: string;
  availBytes: number;
  sizeBytes: number;
  /** Unix time of the sample. */
  at: number;
}

export interface VolumeOnHost {
  service: string;
  volume: string;
  /** What Docker says of it; null when the volume does not exist (yet). */
  docker: { hostPath: string; ownFilesystem: boolean } | null;
}

export function volumeState(freeBytes: number, sizeBytes: number): Exclude<VolumeState, "unknown"> {
  const free = sizeBytes > 0 ? freeBytes / sizeBytes : 0;
  return free < VOLUME_FULL_RATIO ? "full" : free < VOLUME_LOW_RATIO ? "low" : "ok";
}

const unknownSpace = ({ service, volume }: { service: string; volume: string }, reason: string): VolumeSpace => ({
  service,
  volume,
  state: "unknown",
  freeBytes: null,
  sizeBytes: null,
  filesystem: null,
  measuredAt: null,
  reason,
});

/**
 * Measures each directory volume on the host mount whose path is the longest prefix of the volume's
 * path, and each volume of its own on the volume exporter's mount of it.
 */
export function volumeSpace(volumes: readonly VolumeOnHost[], filesystems: readonly FilesystemSample[]): VolumeSpace[] {
  return volumes.map((entry): VolumeSpace => {
    if (entry.docker === null) return unknownSpace(entry, "the volume does not exist: run `npm run up`");
    const { hostPath, ownFilesystem } = entry.docker;
    const holding = ownFilesystem
      ? filesystems.find((fs) => fs.volume?.service === entry.service && fs.volume.volume === entry.volume)
      : filesystems
          .filter((fs) => !fs.volume && (fs.mountpoint === "/" || hostPath === fs.mountpoint || hostPath.startsWith(`${fs.mountpoint}/`)))
          .sort((a, b) => b.mountpoint.length - a.mountpoint.length)[0];
    if (!holding && ownFilesystem)
      return unknownSpace(entry, `a filesystem of its own (tmpfs, a device, NFS), and ${VOLUME_EXPORTER_SERVICE} has no sample of it from the last ${VOLUME_LOOKBACK}: is ${VOLUME_EXPORTER_SERVICE} running? \`df\` it on the host meanwhile`);
    if (!holding) return unknownSpace(entry, `node-exporter reports no filesystem holding ${hostPath}`);
    return {
      service: entry.service,
      volume: entry.volume,
      state: volumeState(holding.availBytes, holding.sizeBytes),
      freeBytes: holding.availBytes,
      sizeBytes: holding.sizeBytes,
      filesystem: { mountpoint: holding.mountpoint, device: holding.device, fstype: holding.fstype },
      measuredAt: holding.at,
    };
  });
}

interface PrometheusMatrix {
  data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}

/**
 * The latest sample of each filesystem of node-exporter and the volume exporter in the last hour, not
 * only a fresh one: a Prometheus whose own volume is full stores no new samples, and the last ones
 * still say what it was.
 */
async function latestFilesystems(prometheusUrl: string): Promise<FilesystemSample[]> {
  const latest = async (metric: string) => {
    // host="": this machine's exporters only, not those agents ship from other hosts (config.hosts).
    const query = `${metric}{job=~"${SERVICE_NAMES.nodeExporter}|${VOLUME_EXPORTER_SERVICE}", ${HOST_LABEL}=""}[${VOLUME_LOOKBACK}]`;
    const body = await getJson<PrometheusMatrix>(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
    return new Map(body.data.result.map(({ metric: labels, values }) => [filesystemKey(labels), { labels, sample: values.at(-1)! }]));
  };
  const [avail, size] = await Promise.all([latest("node_filesystem_avail_bytes"), latest("node_filesystem_size_bytes")]);
  return [...avail].flatMap(([key, { labels, sample }]) => {
    const total = size.get(key);
    if (!total) return [];
    const volume = labels.job === VOLUME_EXPORTER_SERVICE && labels.service && labels.volume ? { volume: { service: labels.service, volume: labels.volume } } : {};
    return [{ ...volume, mountpoint: labels.mountpoint ?? "", device: labels.device ?? "", fstype: labels.fstype ?? "", availBytes: Number(sample[1]), sizeBytes: Number(total.sample[1]), at: sample[0] }];
  });
}

const VOLUME_LOOKBACK = "1h";

const filesystemKey = (labels: Record<string, string>) => JSON.stringify([labels.job, labels.instance, labels.mountpoint, labels.device, labels.fstype]);

/** Every named volume of the plan, measured; never throws: what cannot be known is "unknown", with the reason. */
export async function stackVolumeSpace(model: StackModel, plan: StackPlan): Promise<VolumeSpace[]> {
  const volumes = stateOwners(plan).flatMap((service) => service.volumes.map(({ volume }) => ({ service: service.name, volume })));
  const allUnknown = (reason: string) => volumes.map((entry) => unknownSpace(entry, reason));
  if (!model.enabled.prometheus || !model.enabled.nodeExporter) return allUnknown("node-exporter measures it, through Prometheus, and one of them is off in the config");
  let filesystems: FilesystemSample[];
  try {
    filesystems = volumes.length === 0 ? [] : await latestFilesystems(componentUrl(model.config, "prometheus"));
  } catch (error) {
    return allUnknown(`Prometheus did not answer (${(error as Error).message})`);
  }
  if (filesystems.length === 0) return allUnknown(`Prometheus has no filesystem sample of ${SERVICE_NAMES.nodeExporter} or ${VOLUME_EXPORTER_SERVICE} from the last ${VOLUME_LOOKBACK}`);
  return volumeSpace(await Promise.all(volumes.map(async (entry) => ({ ...entry, docker: await inspectVolume(`${plan.project}_${entry.volume}`) }))), filesystems);
}

/** A measurement older than this many seconds is shown with its age: Prometheus stores no new samples. */
export function staleAfterSeconds(model: StackModel): number {
  return Math.max(60, 3 * timingSeconds(model.config).scrape);
}

/**
 * Compose names a project's volume "<project>_<volume>". A volume of another driver, or of the local
 * driver with mount options (type=tmpfs, nfs, a device), is a filesystem of its own.
 */
async function inspectVolume(name: string): Promise<VolumeOnHost["docker"]> {
  try {
    const volume = await docker().getVolume(name).inspect();
    return { hostPath: volume.Mountpoint, ownFilesystem: volume.Driver !== "local" || Object.keys(volume.Options ?? {}).length > 0 };
  } catch {
    return null;
  }
}
