/**
 * What the stack knows about one component, as data: one file per component under components/,
 * gathered by the registry in components.ts. Every per-component table (pins, ports, service
 * names, requirements, how a config change is applied, rule packs) is derived from these, so a
 * component missing a field does not compile. What depends on the user's config (retention flags,
 * secrets, extra ports) is added by the renderer.
 */
import type { z } from "zod";
import type { ComponentName } from "./component-names.ts";

export interface ImagePin {
  repository: string;
  tag: string;
}

/**
 * How a running component takes a changed file from its config directory: `reload` sends SIGHUP
 * and waits for the component's own `<successMetric>_successful` and
 * `<successMetric>_success_timestamp_seconds` to confirm; `restart` restarts the container;
 * `none` when the component re-reads the files itself.
 */
export type ApplyRule = { action: "reload"; successMetric: string } | { action: "restart" } | { action: "none"; because: string };

/** A bundle directory the component mounts read-only, and how a change below it is applied. */
export interface ConfigMount {
  /** Relative to the bundle root, without a trailing slash. */
  dir: string;
  target: string;
  apply: ApplyRule;
}

export interface ExtraPort {
  setting: string;
  container: number;
  protocols: readonly Protocol[];
}

export type Protocol = "tcp" | "udp";

export interface OwnedDir {
  path: string;
  uid: number;
}

/** The parts of the Compose service that do not depend on the user's config. */
export interface ContainerDefaults {
  /** Replaces the image's entrypoint (see start-guard.ts); absent: the image's own. The command follows it as its arguments. */
  entrypoint?: readonly string[];
  command: readonly string[];
  /** Beyond the config mounts, which come first. */
  volumes: readonly string[];
  /** The healthcheck's CMD, using only what the pinned image contains; null when it has nothing to run one with. */
  healthcheck: readonly string[] | null;
  /** Started only once these are healthy, when they run. */
  dependsOnHealthy: readonly ComponentName[];
  /** Resolves host.docker.internal to the Docker bridge gateway. */
  hostGateway: boolean;
  /**
   * Whether the container runs with a read-only root filesystem: true where the component writes
   * only to its volumes, proven by booting it (testbed e2e); false with a reason otherwise.
   */
  readOnlyRootFilesystem: boolean;
  /**
   * Directories inside its volumes that must exist and belong to the image's user before it starts:
   * Docker makes a new volume root's when the image has nothing at the mount path.
   */
  ownedDirs?: readonly OwnedDir[];
  pidHost?: boolean;
  /** `uid:gid` to run as, for an image whose own user is root; absent: the image's user. */
  user?: string;
  capAdd?: readonly string[];
  devices?: readonly string[];
}

export interface ComponentDefinition {
  /** Human name used in tables, messages and docs. */
  title: string;
  note?: string;
  image: ImagePin;
  /** Compose service name: also the DNS name the other components reach it by. */
  service: string;
  /** Its main API/UI port inside the network, also the default host port it is published on. */
  port: number;
  /** Where it serves its own Prometheus metrics inside the network. */
  selfMetricsPort: number;
  /** Default container memory limit. */
  memory: string;
  /** false for an opt-in component, which runs only when `components.<name>.enabled` is true. */
  enabledByDefault: boolean;
  /** Its own fields in `components.<name>` of the config, beside enabled, port, bindAddress and memory. */
  settings: z.ZodRawShape;
  /**
   * Ports published beside the main one, each on the host port its own setting names (a port field
   * of `settings`), on the component's bind address.
   */
  extraPorts: readonly ExtraPort[];
  /** Components that must run for this one to be useful; `generate` refuses the config otherwise. */
  requires: readonly ComponentName[];
  container: ContainerDefaults;
  configMounts: readonly ConfigMount[];
  /** Static rule packs in rules/ (each with its promtool tests), shipped when this component runs. */
  rulePacks: readonly string[];
}

/** The named volumes among a Compose service's volumes (not bind mounts): where it keeps its state. */
export function namedVolumes(volumes: readonly string[]): Array<{ volume: string; path: string }> {
  return volumes
    .filter((volume) => !/^[./]/.test(volume))
    .map((volume) => {
      const [name, path] = volume.split(":");
      return { volume: name!, path: path! };
    });
}

/** The healthcheck for images with busybox or alpine's wget. */
export const wgetProbe = (port: number, path: string): string[] => ["CMD", "wget", "-q", "--spider", `http://127.0.0.1:${port}${path}`];

/** For the Ubuntu-based images without wget or curl (Promtail, Alloy): bash's /dev/tcp is what they have. */
export const bashHttpProbe = (port: number, path: string): string[] => [
  "CMD",
  "bash",
  "-c",
  `exec 3<>/dev/tcp/127.0.0.1/${port} && printf "GET ${path} HTTP/1.0\\r\\n\\r\\n" >&3 && grep -q "200 OK" <&3`,
];

/** The host's Docker socket, read-only where a log agent discovers containers through it. */
export const DOCKER_SOCKET = "/var/run/docker.sock";
