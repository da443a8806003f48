/**
 * The volume exporter: a second node-exporter (same image and binary) that measures the stack's own
 * data volumes. node-exporter sees the host through its `/host` bind and, as nobody, cannot search
 * Docker's data root (0710) to reach a volume that is a filesystem of its own (tmpfs, a device, NFS;
 * see docs/decisions.md). This one has every named volume of the stack mounted read-only below
 * /volumes and lists its own mounts instead: statfs needs no permission on the volume itself, only on
 * the directories above it, which Docker makes in this container's root. It reads nothing else:
 * only the filesystem collector, only mounts below /volumes, no host namespaces, no published port.
 */
import { VOLUME_EXPORTER_SERVICE } from "../catalog/components/node-exporter.ts";
import { COMPONENTS } from "../catalog/components.ts";
import type { StackModel } from "../config/model.ts";
import type { PlannedService, StackPlan } from "./plan.ts";

export { VOLUME_EXPORTER_SERVICE };
export const VOLUME_EXPORTER_PORT = COMPONENTS.nodeExporter.port;

const MOUNT_ROOT = "/volumes";

/** Where the exporter mounts a service's volume: the scrape job reads the service and the volume back from it. */
export const volumeMountPath = (service: string, volume: string) => `${MOUNT_ROOT}/${service}/${volume}`;

/** Compose service and volume names never contain "/"; Prometheus anchors relabel regexes. */
export const VOLUME_MOUNTPOINT_REGEX = `${MOUNT_ROOT}/([^/]+)/([^/]+)`;

/**
 * A user no other container runs as (Prometheus and Alertmanager are nobody, Jaeger and Loki 10001,
 * Grafana 472, the proxy 65532): statfs needs no right on a volume's files, so it may read none.
 */
export const VOLUME_EXPORTER_USER = "65533:65533";

export const VOLUME_EXPORTER_COMMAND = [
  "--collector.disable-defaults",
  "--collector.filesystem",
  `--collector.filesystem.mount-points-include=^${MOUNT_ROOT}/`,
  `--web.listen-address=:${VOLUME_EXPORTER_PORT}`,
] as const;

/** With node-exporter, when Prometheus runs to scrape it (Prometheus's own volume means there is always one to watch). */
export const runsVolumeExporter = (model: StackModel) => model.enabled.nodeExporter && model.enabled.prometheus;

/**
 * The services whose named volumes hold their own state: every one but the volume exporter, whose
 * read-only mounts are the others' volumes. Backup, restore and `status` go by these.
 */
export const stateOwners = (plan: StackPlan): PlannedService[] => plan.services.filter((service) => service.name !== VOLUME_EXPORTER_SERVICE);
