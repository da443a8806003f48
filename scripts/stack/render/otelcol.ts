/**
 * OpenTelemetry Collector: OTLP in; traces → Jaeger, metrics → Prometheus (OTLP), logs → Loki
 * (OTLP). With `logs.collector: "otelcol"` it is also the container log agent (otelcol-logs.ts).
 */
import { internalUrl } from "../catalog/components.ts";
import { COLLECTOR_QUEUE_DIR, COLLECTOR_REMOTE_OTLP_GRPC_PORT, COLLECTOR_REMOTE_OTLP_HTTP_PORT } from "../catalog/components/otel-collector.ts";
import { PROXY_OTLP_TOKEN_ENV } from "../catalog/components/proxy.ts";
import { agentEndpoints, HOST_LABEL } from "../config/agents.ts";
import type { StackModel } from "../config/model.ts";
import type { TraceExportConfig } from "../config/schema.ts";
import { collectorLogPipelines, type CollectorLogPipelines } from "./otelcol-logs.ts";
import { renderTemplate } from "./templates.ts";

export const COLLECTOR_HEALTH_PORT = 13133;
/** Inside the network; the host port is components.otelCollector.fluentPort. */
export const COLLECTOR_FLUENT_PORT = 24224;

export function renderCollectorConfig(model: StackModel): string {
  const { enabled } = model;
  const logs = collectorLogPipelines(model);
  return renderTemplate("provisioning/otelcol/config.yaml", {
    healthPort: COLLECTOR_HEALTH_PORT,
    fluentPort: COLLECTOR_FLUENT_PORT,
    queueDirectory: COLLECTOR_QUEUE_DIR,
    jaeger: enabled.jaeger ? "jaeger:4317" : null,
    prometheus: enabled.prometheus ? internalUrl("prometheus", "/api/v1/otlp") : null,
    logs: logs && escapeForConfmap(logs),
    containerLogs: logs?.containerLogs ?? false,
    lokiInsecure: logs?.lokiOtlpEndpoint.startsWith("http://") ?? false,
    // Only an existing Loki (logs.loki.url) takes credentials and headers; the bundled one none.
    lokiHeaders: model.logDestination?.bundled === false ? backendHeaders(model.config.logs.loki) : [],
    // Span metrics (RED per operation) only make sense when traces arrive and metrics have a home.
    spanMetrics: enabled.prometheus,
    remoteOtlp: remoteOtlp(model),
    agents: agentReceivers(model),
    traceExports: model.config.traces.export.map(traceExport),
  });
}

/**
 * An OTLP backend of the user's: its token comes from the Collector's environment (compose.yaml
 * takes it from .env), its other headers are plain values ("$" refused by the schema).
 */
function traceExport(target: TraceExportConfig) {
  // The grpc exporter takes host:port; TLS follows the scheme.
  const endpoint = target.protocol === "grpc" ? new URL(target.endpoint).host : target.endpoint.replace(/\/+$/, "");
  return { name: target.name, exporter: `otlp_${target.protocol}/${target.name}`, endpoint, insecure: target.endpoint.startsWith("http://"), headers: backendHeaders(target) };
}

/** A backend's headers: its token expanded by the Collector from its environment, then the plain ones. */
function backendHeaders(backend: { bearerTokenEnv?: string | undefined; headers: Readonly<Record<string, string>> }) {
  return [
    ...(backend.bearerTokenEnv ? [{ name: "Authorization", value: `Bearer \${env:${backend.bearerTokenEnv}}` }] : []),
    ...Object.keys(backend.headers)
      .sort()
      .map((name) => ({ name, value: backend.headers[name]! })),
  ];
}

/**
 * A receiver per agent host, each with the one token of its host, and what the stack labels its
 * data with: the host's name and its labels, upserted over whatever the agent sent.
 */
function agentReceivers(model: StackModel) {
  return agentEndpoints(model).map(({ host, receiverPort, tokenEnv }) => ({
    name: host.name,
    id: `host-${host.name}`,
    port: receiverPort,
    token: `\${env:${tokenEnv}}`,
    attributes: [
      { key: HOST_LABEL, value: host.name },
      ...Object.keys(host.labels)
        .sort()
        .map((key) => ({ key, value: escapeDollars(host.labels[key]!) })),
    ],
  }));
}

/**
 * With the proxy on, a second pair of OTLP receivers takes what the proxy routes from beyond the
 * host, behind bearertokenauth (crypto/subtle's constant-time compare). The token is expanded by
 * the Collector from its environment, so no generated file holds it; a list, so that more tokens
 * (one per sending host) can be added beside it.
 */
function remoteOtlp(model: StackModel) {
  if (!model.enabled.proxy) return null;
  return { grpcPort: COLLECTOR_REMOTE_OTLP_GRPC_PORT, httpPort: COLLECTOR_REMOTE_OTLP_HTTP_PORT, tokens: [`\${env:${PROXY_OTLP_TOKEN_ENV}}`] };
}

export const escapeDollars = (value: string) => value.replaceAll("$", () => "$$");

/**
 * The Collector expands `${…}` in every config string (environment and other providers) and reads
 * `$$` as a literal `$`; OTTL statements carry regex anchors and replacement templates with `$`.
 */
export function escapeForConfmap(logs: CollectorLogPipelines): CollectorLogPipelines {
  const escape = (statements: string[]) => statements.map(escapeDollars);
  return {
    ...logs,
    containerStatements: escape(logs.containerStatements),
    otlpStatements: escape(logs.otlpStatements),
    dropConditions: escape(logs.dropConditions),
    scrubStatements: escape(logs.scrubStatements),
    resourceStatements: escape(logs.resourceStatements),
  };
}
