/**
 * Reloading a component's config in place (SIGHUP) and proving it took: the component's own
 * `<metric>_success_timestamp_seconds` must move past the moment of the signal, and
 * `<metric>_successful` must read 1 (the metric is its definition's). A rejected config is an
 * error, not a silent no-op.
 */
import { StackError } from "../errors.ts";
import type { PlannedService } from "../render/plan.ts";
import { execWithInput } from "./docker.ts";

const RELOAD_DEADLINE_MS = 20_000;

async function reloadState(metricsUrl: string, successMetric: string): Promise<{ successful: number; timestamp: number } | undefined> {
  try {
    const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(3_000) })).text();
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
    return { successful: value(`${successMetric}_successful`), timestamp: value(`${successMetric}_success_timestamp_seconds`) };
  } catch {
    return undefined;
  }
}

/**
 * SIGHUP to the component's main process from inside its container. Not through the engine's kill
 * API: for a container without a stop signal of its own, the engine marks any signal it sends as
 * a stop, and the restart policy never restarts that container again (a later crash left
 * Prometheus down for good).
 */
async function sendHangup(service: string, containerId: string): Promise<void> {
  const { exitCode, output } = await execWithInput(containerId, ["sh", "-c", "kill -HUP 1"], "");
  if (exitCode !== 0) throw new StackError("UNHEALTHY", `could not signal ${service} to reload its config: ${output.trim() || `exit ${exitCode}`}`, `see \`npm run logs -- ${service}\``);
}

export async function reloadAndVerify(service: PlannedService, successMetric: string, containerId: string): Promise<void> {
  if (service.url === null) throw new Error(`plan: ${service.name} reloads its config but has no URL to confirm it on`);
  const signalledAt = Date.now() / 1000;
  await sendHangup(service.name, containerId);
  const deadline = Date.now() + RELOAD_DEADLINE_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const state = await reloadState(`${service.url}/metrics`, successMetric);
    if (!state) continue;
    if (state.successful === 0)
      throw new StackError("UNHEALTHY", `${service.name} rejected its new config and keeps running the previous one`, `see \`npm run logs -- ${service.name}\`; \`npm run validate\` shows the finding`);
    if (state.successful === 1 && state.timestamp >= Math.floor(signalledAt)) return;
  }
  throw new StackError("UNHEALTHY", `${service.name} did not confirm a config reload within ${RELOAD_DEADLINE_MS / 1000}s`, `see \`npm run logs -- ${service.name}\``);
}
