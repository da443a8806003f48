/**
 * The agent tests' second "machine" (test/testbed/agent-host.sh) is isolated as a remote host would
 * be: real containers on both engines, no obs-stack. From a container on the agent engine, a port
 * the central engine publishes on the host address answers; the central engine's loopback ports,
 * its containers' bridge addresses and a server on the host itself do not. Each refusal has a
 * control showing the same target answers where it should, so a dead server cannot pass for a
 * firewall. Run under the engine lock:
 * `npm run testbed && npx vitest run --config vitest.e2e.config.ts test/e2e/agent-host.test.ts`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImageFromDir } from "../../scripts/stack/runtime/docker.ts";
import { BUSYBOX, place } from "../testbed/build-images.ts";
import {
  type AgentHost,
  agentDockerEnv,
  agentHostUnavailable,
  centralDockerEnv,
  copyImagesToAgentHost,
  startAgentHost,
  stopAgentHost,
} from "../testbed/agent-host.ts";

const IN_CI = process.env.CI === "true";
const UNAVAILABLE = agentHostUnavailable();
const IMAGE = "obs-agent-host-test/busybox:1";
const PAGE = "agent-host-test-ok";
const NAME = "obs-agent-host-test";
/** A refused connection is dropped, not rejected: a short bound keeps each probe quick. */
const PROBE_SECONDS = 3;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function dockerWith(env: NodeJS.ProcessEnv, args: string[]): Run {
  const result = spawnSync("docker", args, { env, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

/** The image: busybox (httpd, wget, timeout) FROM scratch, no RUN step, nothing pulled. */
async function buildImage(): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), "obs-agent-host-test-"));
  try {
    place(BUSYBOX, join(context, "rootfs", "bin", "busybox"), 0o755);
    for (const applet of ["sh", "httpd", "wget", "timeout", "ls", "stat"]) symlinkSync("busybox", join(context, "rootfs", "bin", applet));
    mkdirSync(join(context, "rootfs", "www"), { recursive: true });
    writeFileSync(join(context, "rootfs", "www", "index.html"), `${PAGE}\n`);
    writeFileSync(join(context, "Dockerfile"), 'FROM scratch\nCOPY rootfs/ /\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n');
    await buildImageFromDir(context, ["Dockerfile", "rootfs"], IMAGE);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

describe.skipIf(UNAVAILABLE !== undefined && !IN_CI)(`agent host${UNAVAILABLE ? ` (skipped: ${UNAVAILABLE})` : ""}`, () => {
  let host: AgentHost;
  let hostServer: Server | undefined;
  const central = (...args: string[]) => dockerWith(centralDockerEnv(), args);
  const agent = (...args: string[]) => dockerWith(agentDockerEnv(host), args);
  /** What `url` answers to a fresh container on the given engine (empty when nothing answers). */
  const fetchFrom = (engine: typeof central, url: string) => {
    // Under sh, not as the container's PID 1: the kernel spares PID 1 the signal timeout sends.
    const run = engine("run", "--rm", IMAGE, "sh", "-c", `timeout ${PROBE_SECONDS} wget -q -O - "$1"; exit $?`, "sh", url);
    return run.status === 0 ? run.stdout : "";
  };
  const startServer = (engine: typeof central, name: string, ...runArgs: string[]) => {
    const run = engine("run", "-d", "--name", name, "--label", NAME, ...runArgs, IMAGE);
    expect(run.status, run.stderr).toBe(0);
  };
  const publishedPort = (name: string): string => {
    const run = central("port", name, "8080/tcp");
    const port = /:(\d+)$/m.exec(run.stdout)?.[1];
    if (!port) throw new Error(`no published port for ${name}: ${run.stdout} ${run.stderr}`);
    return port;
  };
  const removeLabelled = (engine: typeof central) => {
    const ids = engine("ps", "-aq", "--filter", `label=${NAME}`).stdout;
    if (ids) engine("rm", "-f", ...ids.split("\n"));
  };

  beforeAll(async () => {
    if (UNAVAILABLE) throw new Error(`CI=true requires the agent host: ${UNAVAILABLE}`);
    await buildImage();
    host = startAgentHost();
    copyImagesToAgentHost([IMAGE]);
    startServer(central, `${NAME}-published`, "-p", `${host.hostAddress}::8080`);
    startServer(central, `${NAME}-loopback`, "-p", "127.0.0.1::8080");
  });

  afterAll(async () => {
    await new Promise((resolve) => (hostServer ? hostServer.close(resolve) : resolve(undefined)));
    if (UNAVAILABLE) return;
    removeLabelled(central);
    central("image", "rm", IMAGE);
    // The agent engine's containers and images go with it.
    stopAgentHost();
  });

  it("a port the central engine publishes on the host address answers the agent", () => {
    expect(fetchFrom(agent, `http://${host.hostAddress}:${publishedPort(`${NAME}-published`)}/`)).toBe(PAGE);
  });

  it("the central engine's 127.0.0.1 ports do not: there 127.0.0.1 is the agent's own loopback", async () => {
    const port = publishedPort(`${NAME}-loopback`);
    expect((await (await fetch(`http://127.0.0.1:${port}/`)).text()).trim(), "control: the host reaches it").toBe(PAGE);
    expect(fetchFrom(agent, `http://127.0.0.1:${port}/`)).toBe("");
    // Nor through the host address: it is published on loopback only.
    expect(fetchFrom(agent, `http://${host.hostAddress}:${port}/`)).toBe("");
  });

  it("the central containers' bridge addresses do not answer", () => {
    for (const name of [`${NAME}-published`, `${NAME}-loopback`]) {
      const address = central("inspect", "-f", "{{.NetworkSettings.Networks.bridge.IPAddress}}", name).stdout;
      expect(address).toMatch(/^172\./);
      expect(fetchFrom(central, `http://${address}:8080/`), `control: a central container reaches ${address}`).toBe(PAGE);
      expect(fetchFrom(agent, `http://${address}:8080/`), `${name} at ${address}`).toBe("");
    }
  });

  it("a server on the host itself, listening on every address, does not answer the agent", async () => {
    hostServer = createServer((_request, response) => response.end(PAGE));
    await new Promise<void>((resolve) => hostServer!.listen(0, "0.0.0.0", resolve));
    const { port } = hostServer.address() as AddressInfo;
    const control = await fetch(`http://${host.hostAddress}:${port}/`);
    expect(await control.text(), "control: it answers on the host address").toBe(PAGE);
    expect(fetchFrom(agent, `http://${host.hostAddress}:${port}/`)).toBe("");
  });

  it("a central container cannot open a connection into the agent host", () => {
    startServer(agent, `${NAME}-agent`, "-p", `${host.agentAddress}::8080`);
    const port = /:(\d+)$/m.exec(agent("port", `${NAME}-agent`, "8080/tcp").stdout)?.[1];
    expect(port).toBeDefined();
    const url = `http://${host.agentAddress}:${port}/`;
    expect(fetchFrom(agent, url), "control: the agent's own containers reach it").toBe(PAGE);
    expect(fetchFrom(central, url)).toBe("");
  });

  it("each engine sees only its own containers", () => {
    const names = (engine: typeof central) => engine("ps", "--format", "{{.Names}}").stdout.split("\n");
    expect(names(agent)).toEqual([`${NAME}-agent`]);
    expect(names(central)).not.toContain(`${NAME}-agent`);
    expect(names(central)).toEqual(expect.arrayContaining([`${NAME}-published`, `${NAME}-loopback`]));
    expect(agent("info", "--format", "{{.DockerRootDir}}").stdout).not.toBe(central("info", "--format", "{{.DockerRootDir}}").stdout);
  });

  it("on the agent, /var/run/docker.sock and /var/lib/docker are the agent engine's, as cAdvisor would mount them", () => {
    const agentId = agent("inspect", "-f", "{{.Id}}", `${NAME}-agent`).stdout;
    const centralId = central("inspect", "-f", "{{.Id}}", `${NAME}-published`).stdout;
    const run = agent("run", "--rm", "-v", "/var/run:/var/run:ro", "-v", "/var/lib/docker:/var/lib/docker:ro", IMAGE, "sh", "-c", "stat -L -c %i /var/run/docker.sock && ls /var/lib/docker/containers");
    expect(run.status, run.stderr).toBe(0);
    const [socketInode, ...containerDirs] = run.stdout.split("\n");
    expect(socketInode).toBe(String(statSync(new URL(host.dockerHost).pathname).ino));
    expect(containerDirs).toContain(agentId);
    expect(containerDirs).not.toContain(centralId);
  });

  it("stop leaves no engine, namespace, veth, firewall rule, mount or data behind, and a second stop is a no-op", () => {
    const dockerdPid = readFileSync("/run/obs-agent-host/dockerd.pid", "utf8").trim();
    stopAgentHost();
    expect(existsSync(`/proc/${dockerdPid}`)).toBe(false);
    expect(existsSync("/run/netns/obs-agent")).toBe(false);
    expect(existsSync("/sys/class/net/obs-agent0")).toBe(false);
    expect(existsSync("/var/lib/obs-agent-host")).toBe(false);
    expect(existsSync("/run/obs-agent-host")).toBe(false);
    expect(readFileSync("/proc/self/mountinfo", "utf8")).not.toMatch(/obs-agent/);
    const rules = spawnSync("iptables", ["-w", "-S"], { encoding: "utf8" }).stdout;
    expect(rules).not.toMatch(/OBS-AGENT|obs-agent0/);
    expect(agent("info").status).not.toBe(0);
    stopAgentHost();
    expect(central("info", "--format", "{{.ServerVersion}}").status, "the central engine still answers").toBe(0);
  });
});
