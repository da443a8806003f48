/**
 * Reloading a component's config in place (SIGHUP) and proving it took: the component's own
 * `<metric>_success_timestamp_seconds` must move past the moment of the signal, and
 * `<metric>_successful` must read 1 (the metric is its definition's). A rejected config is an
 * error, not a silent no-op.
 */
import { StackError } from "../errors.ts";
import type { PlannedService } from "../render/plan.ts";
import { signalContainer } from "./docker.ts";

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

export async function reloadAndVerify(service: PlannedService, successMetric: string, containerId: string): Promise<void> {
  if (service.url === null) throw new Error(`plan: ${service.name} reloads its config but has no URL to confirm it on`);
  const signalledAt = Date.now() / 1000;
  await signalContainer(containerId, "SIGHUP");
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
