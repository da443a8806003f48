/**
 * The agent bundle of one declared host (`npm run agent -- --host <name>`, run on that host): the
 * central stack's own node-exporter, cAdvisor and Collector services, rendered from the same config
 * by the same code, with a Collector config of its own that scrapes the exporters, takes the host's
 * container logs and OTLP, applies the central stack's log parsing, drop and scrub rules, and ships
 * everything over OTLP/HTTP to the central proxy with the host's token, queued on disk.
 */
import { COMPONENT_NAMES, SELF_METRICS_PORTS, SERVICE_NAMES, type ComponentName } from "../catalog/components.ts";
import { COLLECTOR_QUEUE_DIR } from "../catalog/components/otel-collector.ts";
import { AGENT_CA_FILE, AGENT_TOKEN_ENV, agentOtlpUrl } from "../config/agents.ts";
import type { AgentHostConfig, StackConfig } from "../config/schema.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { renderCompose } from "./compose.ts";
import { COLLECTOR_FLUENT_PORT, COLLECTOR_HEALTH_PORT, escapeDollars, escapeForConfmap } from "./otelcol.ts";
import { collectorLogPipelines } from "./otelcol-logs.ts";
import { renderPlan } from "./plan.ts";
import { componentTarget } from "./prometheus.ts";
import { renderTemplate } from "./templates.ts";

/** What an agent runs: the host's exporters, when the central stack runs them, and the Collector. */
const AGENT_COMPONENTS: readonly ComponentName[] = ["nodeExporter", "cadvisor", "otelCollector"];

export const AGENT_BUNDLE_PATHS = { compose: "compose.yaml", plan: "plan.json", collector: "otelcol/config.yaml" } as const;

/** The Compose project of the agent on its host. */
export const agentProjectName = (config: StackConfig) => `${config.project.name}-agent`;

/**
 * The central model narrowed to what the agent runs on its host: no exporters of services, no demo,
 * no proxy; every port on 127.0.0.1 (its OTLP and Fluent Forward have no authentication); the
 * Collector with the agent's ports and memory. Its services come out of the same renderers.
 */
export function agentModel(model: ResolvedStack, host: AgentHostConfig): ResolvedStack {
  const { config } = model;
  const enabled = Object.fromEntries(COMPONENT_NAMES.map((name) => [name, model.enabled[name] && AGENT_COMPONENTS.includes(name)])) as ResolvedStack["enabled"];
  const loopback = { bindAddress: "127.0.0.1" };
  return {
    ...model,
    agent: host,
    enabled,
    config: {
      ...config,
      project: { name: agentProjectName(config) },
      bindAddress: "127.0.0.1",
      exporters: { postgres: [], redis: [] },
      demo: { ...config.demo, enabled: false },
      hosts: [],
      components: {
        ...config.components,
        nodeExporter: { ...config.components.nodeExporter, ...loopback },
        cadvisor: { ...config.components.cadvisor, ...loopback },
        otelCollector: {
          ...config.components.otelCollector,
          ...loopback,
          port: config.agents.otlpPort,
          grpcPort: config.agents.otlpGrpcPort,
          fluentPort: config.agents.fluentPort,
          memory: config.agents.memory,
        },
      },
    },
  };
}

/** Relative path → contents, like the central bundle. */
export function renderAgentBundle(model: ResolvedStack, host: AgentHostConfig): Map<string, string> {
  const agent = agentModel(model, host);
  return new Map([
    [AGENT_BUNDLE_PATHS.compose, renderCompose(agent)],
    [AGENT_BUNDLE_PATHS.collector, renderAgentCollectorConfig(model, host)],
    [AGENT_BUNDLE_PATHS.plan, renderPlan(agent)],
  ]);
}

/** The central model's log rules (the agent applies them before shipping), its scrape interval, and where to ship. */
function renderAgentCollectorConfig(model: ResolvedStack, host: AgentHostConfig): string {
  const { config } = model;
  const logs = collectorLogPipelines(model);
  const exporters = (["nodeExporter", "cadvisor"] as const).filter((name) => model.enabled[name]);
  return renderTemplate("provisioning/otelcol/agent.yaml", {
    host: host.name,
    healthPort: COLLECTOR_HEALTH_PORT,
    fluentPort: COLLECTOR_FLUENT_PORT,
    queueDirectory: COLLECTOR_QUEUE_DIR,
    token: `\${env:${AGENT_TOKEN_ENV}}`,
    scrapeInterval: model.timings.scrapeInterval,
    scrapeJobs: [
      ...exporters.map((name) => ({ jobName: SERVICE_NAMES[name], target: componentTarget(model, name) })),
      { jobName: SERVICE_NAMES.otelCollector, target: `localhost:${SELF_METRICS_PORTS.otelCollector}` },
    ],
    selfMetricsPort: SELF_METRICS_PORTS.otelCollector,
    selfJob: SERVICE_NAMES.otelCollector,
    logs: logs && escapeForConfmap(logs),
    centralUrl: escapeDollars(agentOtlpUrl(config, host)),
    caFile: config.agents.caFile ? AGENT_CA_FILE : null,
  });
}
