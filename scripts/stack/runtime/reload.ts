/**
 * Reloading a component's config in place (SIGHUP) and proving it took: the component's own
 * `*_config_last_reload_success_timestamp_seconds` must move past the moment of the signal, and
 * `*_config_last_reload_successful` must read 1. A rejected config is an error, not a silent no-op.
 */
import { SERVICE_NAMES, type ComponentName } from "../catalog/components.ts";
import type { StackConfig } from "../config/schema.ts";
import { StackError } from "../errors.ts";
import { componentUrl } from "../config/addresses.ts";
import { signalContainer } from "./docker.ts";

const RELOAD_METRIC_PREFIX: Partial<Record<ComponentName, string>> = {
  prometheus: "prometheus_config_last_reload",
  alertmanager: "alertmanager_config_last_reload",
  blackbox: "blackbox_exporter_config_last_reload",
  alloy: "alloy_config_last_load",
};

const RELOAD_DEADLINE_MS = 20_000;

async function reloadState(config: StackConfig, component: ComponentName): Promise<{ successful: number; timestamp: number } | undefined> {
  const prefix = RELOAD_METRIC_PREFIX[component]!;
  try {
    const text = await (await fetch(`${componentUrl(config, component)}/metrics`, { signal: AbortSignal.timeout(3_000) })).text();
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
    return { successful: value(`${prefix}_successful`), timestamp: value(`${prefix}_success_timestamp_seconds`) };
  } catch {
    return undefined;
  }
}

export async function reloadAndVerify(config: StackConfig, component: ComponentName, containerId: string): Promise<void> {
  const service = SERVICE_NAMES[component];
  const signalledAt = Date.now() / 1000;
  await signalContainer(containerId, "SIGHUP");
  if (!RELOAD_METRIC_PREFIX[component]) return;
  const deadline = Date.now() + RELOAD_DEADLINE_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const state = await reloadState(config, component);
    if (!state) continue;
    if (state.successful === 0)
      throw new StackError("UNHEALTHY", `${service} rejected its new config and keeps running the previous one`, `see \`npm run logs -- ${service}\`; \`npm run validate\` shows the finding`);
    if (state.successful === 1 && state.timestamp >= Math.floor(signalledAt)) return;
  }
  throw new StackError("UNHEALTHY", `${service} did not confirm a config reload within ${RELOAD_DEADLINE_MS / 1000}s`, `see \`npm run logs -- ${service}\``);
}
