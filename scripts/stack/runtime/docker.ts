/**
 * The one module that talks to the Docker engine (through dockerode, which negotiates the API
 * version, so engines from 20.10/API 1.41 to current releases work).
 */
import { networkInterfaces } from "node:os";
import { basename, dirname } from "node:path";
import { PassThrough } from "node:stream";
import Docker from "dockerode";
import { pack as packDirectory, type PackOptions } from "tar-fs";
import { pack as packTar } from "tar-stream";
import { StackError } from "../errors.ts";
import type { LoggingSpec } from "../render/log-shipping.ts";

let client: Docker | undefined;

export function docker(): Docker {
  client ??= new Docker();
  return client;
}

export async function dockerReachable(): Promise<boolean> {
  try {
    await docker().ping();
    return true;
  } catch {
    return false;
  }
}

/** For commands that act on a running stack: stop early, with what to do next. */
export async function requireDocker(hint: string): Promise<void> {
  if (!(await dockerReachable())) throw new StackError("PREFLIGHT_FAILED", "the Docker engine is not reachable", hint);
}

/** Whether the engine knows the object: its inspect call answers instead of failing. */
async function exists(inspect: () => Promise<unknown>): Promise<boolean> {
  try {
    await inspect();
    return true;
  } catch {
    return false;
  }
}

export async function imagePresent(image: string): Promise<boolean> {
  return exists(() => docker().getImage(image).inspect());
}

export interface OneShotResult {
  exitCode: number;
  output: string;
}

/** Runs a short-lived container to completion and returns its combined output. */
export async function runOneShot(options: {
  image: string;
  entrypoint?: string;
  args: string[];
  binds: string[];
}): Promise<OneShotResult> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (chunk: Buffer) => chunks.push(chunk));
  const [result] = (await docker().run(options.image, options.args, sink, {
    Entrypoint: options.entrypoint ? [options.entrypoint] : undefined,
    HostConfig: { Binds: options.binds, AutoRemove: true, NetworkMode: "none" },
    Tty: true,
  })) as [{ StatusCode: number }, unknown];
  return { exitCode: result.StatusCode, output: Buffer.concat(chunks).toString("utf8") };
}

export interface EngineInfo {
  version: string;
  apiVersion: string;
  rootDir: string;
}

export async function engineInfo(): Promise<EngineInfo> {
  const [version, info] = await Promise.all([docker().version(), docker().info() as Promise<{ DockerRootDir?: string }>]);
  return { version: version.Version, apiVersion: version.ApiVersion, rootDir: info.DockerRootDir ?? "/var/lib/docker" };
}

export interface ContainerState {
  id: string;
  name: string;
  service: string;
  state: string;
  health: "healthy" | "unhealthy" | "starting" | "none";
  status: string;
  createdAt: Date;
  publishedPorts: Array<{ ip: string; port: number }>;
}

/** "healthy"/"unhealthy"/"starting" when the container has a healthcheck, else its state. */
export function describeState(container: ContainerState): string {
  return container.health === "none" ? container.state : container.health;
}

const HEALTH_IN_STATUS = /\((healthy|unhealthy|health: starting)\)/;

function toContainerState(info: Docker.ContainerInfo): ContainerState {
  const healthWord = HEALTH_IN_STATUS.exec(info.Status)?.[1];
  const health = healthWord === "health: starting" ? "starting" : ((healthWord as ContainerState["health"] | undefined) ?? "none");
  return {
    id: info.Id,
    name: (info.Names[0] ?? info.Id).replace(/^\//, ""),
    service: info.Labels["com.docker.compose.service"] ?? "",
    state: info.State,
    health,
    status: info.Status,
    createdAt: new Date(info.Created * 1000),
    publishedPorts: info.Ports.filter((port) => port.PublicPort).map((port) => ({ ip: port.IP ?? "", port: port.PublicPort })),
  };
}

export interface ProjectContainer extends ContainerState {
  /** The image the container was created from, by id: a tag rebuilt since points elsewhere. */
  imageId: string;
}

/** Containers of a Compose project, running or not. */
export async function projectContainers(project: string): Promise<ProjectContainer[]> {
  const list = await docker().listContainers({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
  return list.map((info) => ({ ...toContainerState(info), imageId: info.ImageID })).sort((a, b) => a.service.localeCompare(b.service));
}

/** The id each image reference resolves to now; undefined for one the engine does not have. */
export async function imageIds(references: readonly string[]): Promise<Map<string, string | undefined>> {
  const ids = await Promise.all(
    references.map(async (reference) => {
      try {
        return [reference, ((await docker().getImage(reference).inspect()) as { Id: string }).Id] as const;
      } catch {
        return [reference, undefined] as const;
      }
    }),
  );
  return new Map(ids);
}

/** Every running container, with its Compose project ("" for none). */
export async function runningContainers(): Promise<Array<ContainerState & { project: string }>> {
  const list = await docker().listContainers();
  return list.map((info) => ({ ...toContainerState(info), project: info.Labels["com.docker.compose.project"] ?? "" }));
}

/**
 * Runs a command inside a running container with `input` on its stdin — the way to hand it a
 * secret, which on the command line would show in `ps` and in the engine's exec records.
 */
export async function execWithInput(containerId: string, cmd: string[], input: string): Promise<{ exitCode: number; output: string }> {
  const exec = await docker().getContainer(containerId).exec({ Cmd: cmd, AttachStdin: true, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: true });
  const chunks: Buffer[] = [];
  const collect = new PassThrough().on("data", (chunk: Buffer) => chunks.push(chunk));
  docker().modem.demuxStream(stream, collect, collect);
  const ended = new Promise<void>((resolve, reject) => stream.on("end", resolve).on("error", reject));
  stream.end(input);
  await ended;
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, output: Buffer.concat(chunks).toString("utf8") };
}

/**
 * A directory of a container (running or not) as a tar stream of its contents, entries relative
 * to it ("./…"), owners and modes kept: what `docker cp CONTAINER:DIR/. …` reads.
 */
export async function readDirectoryArchive(containerId: string, dir: string): Promise<NodeJS.ReadableStream> {
  return docker().getContainer(containerId).getArchive({ path: `${dir}/.` });
}

/** Unpacks such a tar into a directory of a created container; into a volume, which a read-only root still allows. */
export async function writeDirectoryArchive(containerId: string, dir: string, tar: NodeJS.ReadableStream | Buffer): Promise<void> {
  await docker().getContainer(containerId).putArchive(tar, { path: dir });
}

/** Whether a path exists in a container (running or not), asked of the engine, not of the image's tools. */
export async function pathExists(containerId: string, path: string): Promise<boolean> {
  try {
    const answer = (await docker().getContainer(containerId).infoArchive({ path })) as { destroy?: () => void };
    // The HEAD answer comes as a stream nobody reads; left open, it keeps the process alive.
    answer.destroy?.();
    return true;
  } catch {
    return false;
  }
}

/** Creates a directory owned by `uid` in a container's volume, whether or not the image has a shell to do it. */
export async function createOwnedDirectory(containerId: string, path: string, uid: number): Promise<void> {
  const tar = packTar();
  tar.entry({ name: basename(path), type: "directory", uid, gid: uid, mode: 0o750 });
  tar.finalize();
  // As one buffer: a tar-stream stream handed to the engine leaves a handle that keeps Node alive.
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  await writeDirectoryArchive(containerId, dirname(path), Buffer.concat(chunks));
}

export async function removeVolume(name: string): Promise<void> {
  await docker().getVolume(name).remove();
}

export interface PullProgress {
  status: string;
  current: number;
  total: number;
}

/** Pulls an image, reporting aggregate byte progress across its layers. */
export async function pullImage(image: string, onProgress: (progress: PullProgress) => void): Promise<void> {
  const stream = await docker().pull(image);
  const layers = new Map<string, { current: number; total: number }>();
  await new Promise<void>((resolve, reject) => {
    docker().modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      (event: { id?: string; status?: string; progressDetail?: { current?: number; total?: number }; error?: string }) => {
        if (event.error) return reject(new Error(event.error));
        if (event.id && event.progressDetail?.total) layers.set(event.id, { current: event.progressDetail.current ?? 0, total: event.progressDetail.total });
        let current = 0;
        let total = 0;
        for (const layer of layers.values()) {
          current += layer.current;
          total += layer.total;
        }
        onProgress({ status: event.status ?? "", current, total });
      },
    );
  });
}

/** The host's address on Docker's default bridge: what `host-gateway` resolves to inside containers. */
export async function bridgeGatewayAddress(): Promise<string | undefined> {
  const network = (await docker().getNetwork("bridge").inspect()) as {
    IPAM?: { Config?: Array<{ Gateway?: string; Subnet?: string }> };
    Options?: Record<string, string> | null;
  };
  const gateway = network.IPAM?.Config?.find((config) => config.Gateway)?.Gateway;
  if (gateway) return gateway;
  // Older engines leave Gateway empty; the host's address on the bridge interface is the same thing.
  const bridge = network.Options?.["com.docker.network.bridge.name"] ?? "docker0";
  const assigned = networkInterfaces()[bridge]?.find((address) => address.family === "IPv4")?.address;
  if (assigned) return assigned;
  // An idle bridge is down and hidden from networkInterfaces(); Docker gives it the subnet's first host.
  const subnet = network.IPAM?.Config?.map((config) => config.Subnet).find((cidr) => cidr && /^\d+\.\d+\.\d+\.\d+\//.test(cidr));
  if (!subnet) return undefined;
  const octets = subnet.split("/")[0]!.split(".").map(Number);
  return [octets[0], octets[1], octets[2], octets[3]! + 1].join(".");
}

/** Starts a long-running helper container (removed by `removeContainer`). */
export async function startContainer(options: {
  image: string;
  entrypoint: string[];
  cmd: string[];
  labels: Record<string, string>;
  /** The stack's log driver, so the container's lines travel the way a service's do. */
  logging: LoggingSpec | null;
}): Promise<string> {
  const container = await docker().createContainer({
    Image: options.image,
    Entrypoint: options.entrypoint,
    Cmd: options.cmd,
    Labels: options.labels,
    HostConfig: {
      NetworkMode: "none",
      AutoRemove: false,
      ...(options.logging
        ? { LogConfig: { Type: options.logging.driver, Config: Object.fromEntries(options.logging.options.map(({ name, value }) => [name, value])) } }
        : {}),
    },
  });
  await container.start();
  return container.id;
}

export async function removeContainer(id: string): Promise<void> {
  // With its anonymous volumes: an image that declares a VOLUME (Prometheus's) leaves one behind otherwise.
  await docker().getContainer(id).remove({ force: true, v: true });
}

/** Builds an image from a directory holding a Dockerfile and the named entries (legacy builder API). */
export async function buildImageFromDir(contextDir: string, entries: string[], tag: string, labels: Record<string, string> = {}): Promise<void> {
  // umask 0 keeps modes exactly (a world-writable, sticky /tmp stays 1777 in the image).
  const context = packDirectory(contextDir, { entries, umask: 0 } as PackOptions);
  const stream = await docker().buildImage(context, { t: tag, rm: true, forcerm: true, labels });
  await new Promise<void>((resolve, reject) => {
    docker().modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      (event: { error?: string; errorDetail?: { message?: string } }) => {
        if (event.error) reject(new Error(event.errorDetail?.message ?? event.error));
      },
    );
  });
}

export async function imageLabel(image: string, label: string): Promise<string | undefined> {
  try {
    const info = (await docker().getImage(image).inspect()) as { Config?: { Labels?: Record<string, string> } };
    return info.Config?.Labels?.[label];
  } catch {
    return undefined;
  }
}

export interface StreamedRun {
  image: string;
  cmd: string[];
  env: Record<string, string>;
  binds: string[];
  /** A Compose network name, or "host". */
  network: string;
  extraHosts: string[];
  labels: Record<string, string>;
}

/**
 * Runs a container to completion, handing each line of its output to `onLine` as it arrives, and
 * removes it whatever happens. Returns the exit code.
 */
export async function runStreaming(run: StreamedRun, onLine: (line: string, stream: "stdout" | "stderr") => void): Promise<number> {
  const container = await docker().createContainer({
    Image: run.image,
    Cmd: run.cmd,
    Env: Object.entries(run.env).map(([name, value]) => `${name}=${value}`),
    Labels: run.labels,
    // Least privilege like the stack's own containers, and removed by the engine if we are killed.
    HostConfig: {
      Binds: run.binds,
      NetworkMode: run.network,
      ExtraHosts: run.extraHosts,
      AutoRemove: true,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges:true"],
    },
  });
  // Ctrl-C or a cancelled CI job must not leave k6 running (and loading the service) behind.
  const stop = (signal: NodeJS.Signals) => {
    void container.remove({ force: true }).finally(() => process.kill(process.pid, signal));
  };
  const onSignal = { SIGINT: () => stop("SIGINT"), SIGTERM: () => stop("SIGTERM") };
  process.once("SIGINT", onSignal.SIGINT);
  process.once("SIGTERM", onSignal.SIGTERM);
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const ended = new Promise<void>((resolve) => stream.on("end", resolve));
    const splitter = (name: "stdout" | "stderr") => {
      const pass = new PassThrough();
      let pending = "";
      pass.on("data", (chunk: Buffer) => {
        const lines = (pending + chunk.toString("utf8")).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) onLine(line, name);
      });
      pass.on("end", () => pending && onLine(pending, name));
      return pass;
    };
    const out = splitter("stdout");
    const err = splitter("stderr");
    docker().modem.demuxStream(stream, out, err);
    // Waiting before the start: with AutoRemove a fast exit could otherwise remove it first.
    const waiting = container.wait({ condition: "next-exit" }) as Promise<{ StatusCode: number }>;
    await container.start();
    const result = await waiting;
    await ended;
    out.end();
    err.end();
    return result.StatusCode;
  } finally {
    process.off("SIGINT", onSignal.SIGINT);
    process.off("SIGTERM", onSignal.SIGTERM);
    await container.remove({ force: true }).catch(() => undefined);
  }
}

export async function networkExists(name: string): Promise<boolean> {
  return exists(() => docker().getNetwork(name).inspect());
}
