/**
 * Checks before `up` touches anything: Docker reachable and new enough, Compose v2 present, the
 * host ports free (naming whoever holds one), enough disk. Each failure is one sentence and a fix.
 */
import { spawnSync } from "node:child_process";
import { statfsSync } from "node:fs";
import { createServer } from "node:net";
import { COMPONENT_NAMES, SERVICE_NAMES } from "../catalog/components.ts";
import type { StackModel } from "../config/model.ts";
import { publishedPorts } from "../config/rules.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { composeVersion, type ComposeProject } from "./compose-cli.ts";
import { dockerReachable, engineInfo, runningContainers } from "./docker.ts";

export interface PreflightFinding {
  check: string;
  ok: boolean;
  message: string;
  hint?: string;
}

/** The oldest Docker Engine the README supports, and the API version it speaks. */
export const MIN_ENGINE = { version: "20.10", api: "1.41" };
const MIN_COMPOSE = [2, 24];
const MIN_FREE_BYTES = 2 * 1024 ** 3;

/** Runs the checks, prints each, and stops with the first failure's fix when any fails. */
export async function requirePreflight(project: ComposeProject, out: Output): Promise<void> {
  const findings = await preflight(project);
  for (const finding of findings) out.info(`${finding.ok ? "ok  " : "FAIL"} preflight ${finding.check}: ${finding.message}${finding.hint ? ` (${finding.hint})` : ""}`);
  const failed = findings.filter((finding) => !finding.ok);
  if (failed.length > 0) throw new StackError("PREFLIGHT_FAILED", `preflight failed: ${failed.map((f) => f.message).join("; ")}`, failed[0]?.hint);
}

export async function preflight(project: ComposeProject): Promise<PreflightFinding[]> {
  if (!(await dockerReachable()))
    return [
      {
        check: "docker",
        ok: false,
        message: "the Docker engine is not reachable (DOCKER_HOST or /var/run/docker.sock)",
        hint: "start Docker (e.g. `sudo systemctl start docker`) and check that your user may use it",
      },
    ];
  // Independent of each other, and each mostly waits (on the engine, on Compose's process): together.
  const [engine, compose, ports] = await Promise.all([engineInfo(), composeFinding(project), portFindings(project.model)]);
  return [engineFinding(engine), compose, ...ports, diskFinding(engine.rootDir)];
}

/**
 * Refuses an engine older than MIN_ENGINE by release or by API version (either one too old is
 * enough); an unparseable release (a dev build) is judged by its API version alone.
 */
export function engineFinding(engine: { version: string; apiVersion: string }): PreflightFinding {
  const found = `Docker Engine ${engine.version} (API ${engine.apiVersion})`;
  const release = versionParts(engine.version);
  const api = versionParts(engine.apiVersion);
  const tooOld =
    (release !== undefined && compareVersions(release, versionParts(MIN_ENGINE.version) ?? []) < 0) ||
    api === undefined ||
    compareVersions(api, versionParts(MIN_ENGINE.api) ?? []) < 0;
  if (!tooOld) return { check: "docker", ok: true, message: found };
  return {
    check: "docker",
    ok: false,
    message: `${found} is older than the oldest supported, Docker Engine ${MIN_ENGINE.version} (API ${MIN_ENGINE.api})`,
    hint:
      `upgrade Docker Engine to ${MIN_ENGINE.version} or newer (29.x is current): on Linux the docker-ce package from ` +
      "Docker's apt/dnf repository (https://docs.docker.com/engine/install/), on macOS and Windows a current Docker Desktop",
  };
}

/** Leading numeric parts of a version ("20.10.24+dfsg1" gives [20, 10, 24]); undefined when there are none. */
function versionParts(version: string): number[] | undefined {
  const digits = /^v?(\d+(?:\.\d+)*)/.exec(version.trim())?.[1];
  return digits === undefined ? undefined : digits.split(".").map(Number);
}

function atLeast(check: string, label: string, version: string, minimum: number[], hint: string): PreflightFinding {
  const parts = version.split(/[.+-]/).map((part) => Number.parseInt(part, 10));
  const ok = compareVersions(parts, minimum) >= 0;
  return { check, ok, message: ok ? label : `${label} is older than ${minimum.join(".")}`, hint: ok ? undefined : hint };
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (Number.isNaN(diff)) return 0;
    if (diff !== 0) return diff;
  }
  return 0;
}

async function composeFinding(project: ComposeProject): Promise<PreflightFinding> {
  try {
    const version = await composeVersion(project);
    return atLeast("compose", `Docker Compose ${version}`, version, MIN_COMPOSE, "install Docker Compose v2.24 or newer (the docker-compose-plugin package)");
  } catch (error) {
    return { check: "compose", ok: false, message: (error as Error).message, hint: "install Docker Compose v2.24 or newer" };
  }
}

async function portFindings(model: StackModel): Promise<PreflightFinding[]> {
  const ports = publishedPorts(model);
  const free = await Promise.all(ports.map(({ address, port }) => portFree(address, port)));
  const busy = ports.filter((_, index) => !free[index]);
  if (busy.length === 0) return [{ check: "ports", ok: true, message: "all host ports free" }];
  // One listing for every busy port: on a second `up` our own containers hold them all.
  const running = await runningContainers();
  const ownRunning = new Set(running.filter((container) => container.project === model.config.project.name).map((container) => container.service));
  const findings: PreflightFinding[] = [];
  for (const { path, address, port } of busy) {
    const holders = running.filter((container) => container.publishedPorts.some((published) => published.port === port));
    // Our own running container holding its own port is the normal state of a second `up`.
    if (holders.some((holder) => holder.project === model.config.project.name)) continue;
    // Docker names a holder only when it publishes the port; one in the host's network namespace
    // (node-exporter) listens on it directly, so our running container of the port's component is it.
    const owner = componentOf(path);
    if (holders.length === 0 && owner !== undefined && ownRunning.has(owner)) continue;
    const holder = holders[0] ? `container ${holders[0].name} (project ${holders[0].project || "none"})` : processHolding(port);
    findings.push({
      check: "ports",
      ok: false,
      message: `host port ${address}:${port} (${path}) is in use by ${holder}`,
      hint: `stop it, or set ${path} to a free port in stack.config.ts`,
    });
  }
  return findings.length > 0 ? findings : [{ check: "ports", ok: true, message: "all host ports free" }];
}

/** The Compose service of a port's config path, e.g. components.nodeExporter.port → node-exporter. */
function componentOf(path: string): string | undefined {
  const name = COMPONENT_NAMES.find((component) => path.startsWith(`components.${component}.`));
  return name && SERVICE_NAMES[name];
}

function portFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** `ss` names the listening process when we may see it; otherwise say so. */
function processHolding(port: number): string {
  const run = spawnSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
  const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(run.stdout ?? "");
  return match ? `process ${match[1]} (pid ${match[2]})` : "another process";
}

function diskFinding(rootDir: string): PreflightFinding {
  let free: number;
  try {
    const stats = statfsSync(rootDir);
    free = stats.bavail * stats.bsize;
  } catch {
    return { check: "disk", ok: true, message: `free space of ${rootDir} not readable; skipped` };
  }
  const gib = (free / 1024 ** 3).toFixed(1);
  return free >= MIN_FREE_BYTES
    ? { check: "disk", ok: true, message: `${gib} GiB free in ${rootDir}` }
    : { check: "disk", ok: false, message: `only ${gib} GiB free in ${rootDir}`, hint: "free at least 2 GiB (e.g. `docker system prune`)" };
}
