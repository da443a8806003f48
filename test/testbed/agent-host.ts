/**
 * The agent e2e tests' second "machine" (agent-host.sh): a network namespace with its own Docker
 * engine that reaches the central stack only through ports published on `hostAddress`.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";

export const AGENT_HOST_SCRIPT = join(REPO_ROOT, "test", "testbed", "agent-host.sh");
/** The engine host-setup.sh starts (agent-host.sh talks to it at the same socket). */
const CENTRAL_DOCKER_HOST = "unix:///var/run/docker.sock";

export interface AgentHost {
  /** DOCKER_HOST of the agent engine, e.g. unix:///run/obs-agent-host/docker.sock. */
  dockerHost: string;
  /** The host's end of the veth: central ports published on this address are what the agent reaches. */
  hostAddress: string;
  /** The namespace's own address, the source of everything the agent sends. */
  agentAddress: string;
  /** The network namespace (for `nsenter --net=`): a process run there is on the agent's "machine". */
  netns: string;
  /**
   * The agent engine's mount namespace (for `nsenter --mount=`): the host's files, except that
   * /var/run/docker.sock, /run/containerd/containerd.sock and /var/lib/docker are the agent's.
   */
  mountNamespace: string;
}

export class AgentHostError extends Error {
  readonly subcommand: string;
  readonly stderrTail: string;

  constructor(subcommand: string, message: string, stderrTail: string) {
    super(`agent-host.sh ${subcommand}: ${message}${stderrTail ? `\n${stderrTail}` : ""}`);
    this.name = "AgentHostError";
    this.subcommand = subcommand;
    this.stderrTail = stderrTail;
  }
}

const STDERR_LINES = 20;

function run(args: string[], timeoutMs: number): string {
  const result = spawnSync("bash", [AGENT_HOST_SCRIPT, ...args], { encoding: "utf8", timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  const tail = (result.stderr ?? "").trimEnd().split("\n").slice(-STDERR_LINES).join("\n");
  if (result.error) throw new AgentHostError(args[0]!, result.error.message, tail);
  if (result.status !== 0) throw new AgentHostError(args[0]!, `exited with ${result.status ?? result.signal}`, tail);
  return result.stdout;
}

/** Starts the agent host (or finds it running) and returns where to reach it. */
export function startAgentHost(): AgentHost {
  const stdout = run(["start"], 180_000);
  const last = stdout.trimEnd().split("\n").at(-1) ?? "";
  let parsed: Partial<Record<keyof AgentHost, unknown>>;
  try {
    parsed = JSON.parse(last) as typeof parsed;
  } catch {
    throw new AgentHostError("start", `the last stdout line is not JSON: ${JSON.stringify(last)}`, "");
  }
  const fields = ["dockerHost", "hostAddress", "agentAddress", "netns", "mountNamespace"] as const;
  const missing = fields.filter((field) => typeof parsed[field] !== "string");
  if (missing.length > 0) throw new AgentHostError("start", `the JSON line lacks ${missing.join(", ")}: ${last}`, "");
  const host = parsed as AgentHost;
  return { dockerHost: host.dockerHost, hostAddress: host.hostAddress, agentAddress: host.agentAddress, netns: host.netns, mountNamespace: host.mountNamespace };
}

/** Removes the agent host and everything it made; does nothing when none is there. */
export function stopAgentHost(): void {
  run(["stop"], 180_000);
}

/** Copies images from the central engine into the running agent engine (there is no registry). */
export function copyImagesToAgentHost(images: readonly string[]): void {
  run(["images", ...images], 600_000);
}

/**
 * Why the agent host cannot run on this machine, or undefined when it can: it needs root, the
 * network tools, and the central engine that host-setup.sh starts (whose binaries it reuses).
 */
export function agentHostUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "the agent host needs root (network namespace, iptables, a second dockerd)";
  for (const tool of ["ip", "nsenter", "iptables", "docker"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `${tool} is not installed (run test/testbed/host-setup.sh)`;
  }
  const info = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { env: centralDockerEnv() });
  if (info.status !== 0) return "the central Docker engine does not answer (run test/testbed/host-setup.sh)";
  return undefined;
}

/** The environment for a docker CLI that talks to the central engine, whatever context the caller set. */
export function centralDockerEnv(): NodeJS.ProcessEnv {
  const { DOCKER_CONTEXT: _context, ...env } = process.env;
  return { ...env, DOCKER_HOST: CENTRAL_DOCKER_HOST };
}

/** The environment for a docker CLI that talks to the agent engine. */
export function agentDockerEnv(host: AgentHost): NodeJS.ProcessEnv {
  return { ...centralDockerEnv(), DOCKER_HOST: host.dockerHost };
}
