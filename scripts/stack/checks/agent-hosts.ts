/**
 * Each declared host's last report, for `status`: the newest `up` sample its agent shipped (every
 * scrape of the agent carries one per target), read from Prometheus over the last hour.
 */
import { componentUrl } from "../config/addresses.ts";
import { agentEndpoints, HOST_LABEL } from "../config/agents.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { durationToSeconds } from "../syntax/durations.ts";
import { getJson } from "./http.ts";

const LOOKBACK = "1h";

export interface HostReport {
  host: string;
  address: string | null;
  /** Unix time of the newest sample from the host; null when none arrived in the last hour, or Prometheus could not say. */
  lastReportAt: number | null;
  /** "silent": nothing within AgentHostDown's window; "unknown": Prometheus did not answer. */
  state: "reporting" | "silent" | "unknown";
  reason?: string;
}

interface PrometheusVector {
  data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

export async function agentHostReports(model: ResolvedStack): Promise<HostReport[]> {
  const hosts = agentEndpoints(model).map(({ host }) => host);
  if (hosts.length === 0) return [];
  const silentAfter = durationToSeconds(model.timings.hostSilence.window);
  let newest: Map<string, number>;
  try {
    newest = await newestSamples(componentUrl(model.config, "prometheus"));
  } catch (error) {
    const reason = `Prometheus did not answer: ${(error as Error).message}`;
    return hosts.map((host) => ({ host: host.name, address: host.address ?? null, lastReportAt: null, state: "unknown", reason }));
  }
  const now = Date.now() / 1000;
  return hosts.map((host) => {
    const at = newest.get(host.name) ?? null;
    return { host: host.name, address: host.address ?? null, lastReportAt: at, state: at !== null && now - at <= silentAfter ? "reporting" : "silent" };
  });
}

/** The subquery steps through the hour; timestamp() gives each step's newest sample time. */
async function newestSamples(prometheusUrl: string): Promise<Map<string, number>> {
  const query = `max by (${HOST_LABEL}) (max_over_time(timestamp(up{${HOST_LABEL}!=""})[${LOOKBACK}:]))`;
  const body = await getJson<PrometheusVector>(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  return new Map(body.data.result.map(({ metric, value }) => [metric[HOST_LABEL] ?? "", Number(value[1])]));
}
