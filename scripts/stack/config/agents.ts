/**
 * Agents on other hosts (config.hosts): what both ends derive from the one config. Each host has a
 * token of its own and, on the central Collector, a receiver of its own behind the proxy's
 * /agents/<name>/ route: the Collector's bearertokenauth does not say which token matched, so a
 * receiver per host is what lets the stack set `host` itself instead of trusting the sender.
 */
import type { StackModel } from "./model.ts";
import { proxyOrigin } from "./proxy-address.ts";
import type { AgentHostConfig, StackConfig } from "./schema.ts";

/** The label (and resource attribute) naming the host everything from an agent comes from. */
export const HOST_LABEL = "host";

/** The central Collector's per-host OTLP/HTTP receivers, on the stack's network only: the first host's port, then one each. */
export const AGENT_RECEIVER_BASE_PORT = 15000;

/** The variable of .env (mode 0600, generated) holding the host's token; the agent's own .env holds it under AGENT_TOKEN_ENV. */
export const agentTokenEnv = (host: Pick<AgentHostConfig, "name">) => `AGENT_TOKEN_${host.name.toUpperCase().replaceAll("-", "_")}`;

/** What the agent's Collector reads its token from, on the agent's host. */
export const AGENT_TOKEN_ENV = "OBS_AGENT_TOKEN";

/** Where the agent's Collector finds agents.caFile: mounted read-only from the same path on its host. */
export const AGENT_CA_FILE = "/etc/obs-agent/central-ca.pem";

export const agentRoutePrefix = (host: Pick<AgentHostConfig, "name">) => `/agents/${host.name}`;

export interface AgentEndpoint {
  host: AgentHostConfig;
  /** The central Collector's receiver for this host. */
  receiverPort: number;
  tokenEnv: string;
  routePrefix: string;
}

/** One per declared host, in config order; none unless the proxy and the Collector run (config/rules.ts says why). */
export function agentEndpoints(model: Pick<StackModel, "config" | "enabled">): AgentEndpoint[] {
  if (!model.enabled.proxy || !model.enabled.otelCollector) return [];
  return model.config.hosts.map((host, index) => ({
    host,
    receiverPort: AGENT_RECEIVER_BASE_PORT + index,
    tokenEnv: agentTokenEnv(host),
    routePrefix: agentRoutePrefix(host),
  }));
}

/** The base URL an agent sends OTLP/HTTP to: its exporter appends /v1/traces, /v1/metrics and /v1/logs. */
export function agentOtlpUrl(config: StackConfig, host: Pick<AgentHostConfig, "name">): string {
  const origin = (config.agents.centralUrl ?? proxyOrigin(config)).replace(/\/+$/, "");
  return `${origin}${agentRoutePrefix(host)}`;
}
