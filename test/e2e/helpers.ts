/** Small probes of the running e2e stack, straight at Docker and the components' HTTP APIs. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { docker, execWithInput } from "../../scripts/stack/runtime/docker.ts";

const PROJECT = "obs-e2e";

/** Which images the suite boots: the testbed's stand-ins, or the pinned official images where they can be pulled. */
export const IMAGE_SET: "official" | "testbed" = process.env.E2E_IMAGES === "official" ? "official" : "testbed";

/** The overlay `npm run testbed` writes: stand-in images, and what is not booted here with the reason. */
export const OVERLAY_FILE = join(REPO_ROOT, "test", "e2e", ".testbed-images.json");

export function notBooted(): Record<string, string> {
  if (IMAGE_SET === "official") return {};
  return (JSON.parse(readFileSync(OVERLAY_FILE, "utf8")) as { disabled: Record<string, string> }).disabled;
}

/** The e2e stack can run: the testbed built its overlay, or the official images are asked for. */
export const stackAvailable = (): boolean => IMAGE_SET === "official" || existsSync(OVERLAY_FILE);

/** Connection settings of the real PostgreSQL and Redis peers (test/testbed/peers.sh writes them). */
export function peerSecrets(): Record<string, string> {
  const file = join(REPO_ROOT, "test", "e2e", ".peers.env");
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

export interface E2eContainer {
  id: string;
  pid: number;
  restartCount: number;
  health: string;
  startedAt: string;
  /** The image reference it was created from, as Compose gave it. */
  image: string;
}

export async function e2eContainer(service: string): Promise<E2eContainer> {
  const [info] = await docker().listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${PROJECT}`, `com.docker.compose.service=${service}`] },
  });
  if (!info) throw new Error(`no ${service} container in project ${PROJECT}`);
  const inspected = await docker().getContainer(info.Id).inspect();
  return {
    id: info.Id,
    pid: inspected.State.Pid,
    restartCount: inspected.RestartCount,
    health: inspected.State.Health?.Status ?? "none",
    startedAt: inspected.State.StartedAt,
    image: inspected.Config.Image,
  };
}

export async function waitFor(what: string, seconds: number, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await condition().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  throw new Error(`timed out after ${seconds}s waiting for ${what}`);
}

export async function queryPrometheusAt(query: string, time: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:9090/api/v1/query?query=${encodeURIComponent(query)}&time=${time}`);
  const body = (await response.json()) as { data: { result: unknown[] } };
  return body.data.result.length;
}

export async function queryLokiCount(selector: string): Promise<number> {
  const start = (BigInt(Date.now() - 3_600_000) * 1_000_000n).toString();
  const response = await fetch(`http://127.0.0.1:3100/loki/api/v1/query_range?query=${encodeURIComponent(selector)}&start=${start}&limit=5000`);
  const body = (await response.json()) as { data: { result: Array<{ values: unknown[] }> } };
  return body.data.result.reduce((sum, stream) => sum + stream.values.length, 0);
}

/** The configuration Prometheus is running right now (YAML). */
export async function prometheusConfig(): Promise<string> {
  const response = await fetch("http://127.0.0.1:9090/api/v1/status/config");
  return ((await response.json()) as { data: { yaml: string } }).data.yaml;
}

/** Where Caddy keeps its internal CA's root in the proxy's volume (README "Exposing the stack"). */
const PROXY_CA_ROOT = "/data/obs-stack/caddy/pki/authorities/local/root.crt";

/** The root certificate of the proxy's internal CA, as a client that trusts only it needs it. */
export async function proxyCaRoot(): Promise<string> {
  const proxy = await e2eContainer("proxy");
  const exported = await execWithInput(proxy.id, ["cat", PROXY_CA_ROOT], "");
  if (exported.exitCode !== 0) throw new Error(`cannot read ${PROXY_CA_ROOT} in the proxy: ${exported.output}`);
  return exported.output.slice(exported.output.indexOf("-----BEGIN CERTIFICATE-----"));
}
