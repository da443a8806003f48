/** Cross-field rules: what the schema cannot see field by field. */
import { statSync } from "node:fs";
import { COMPONENTS, COMPONENT_NAMES, LOG_AGENTS, SERVICE_NAMES } from "../catalog/components.ts";
import { VOLUME_EXPORTER_SERVICE } from "../catalog/components/node-exporter.ts";
import { OWN_LOGIN } from "../catalog/components/proxy.ts";
import type { ConfigIssue } from "../errors.ts";
import { alertingProblems } from "./alerting-rules.ts";
import { componentHostPorts, FLUENT_BIND_ADDRESS } from "./addresses.ts";
import { collectorShipsContainerLogs, LOG_INDEX_LABELS, type StackModel } from "./model.ts";
import { durationToSeconds } from "../syntax/durations.ts";
import { parseMatcher } from "../syntax/label-matcher.ts";
import { isEvaluable, sampleValues } from "./sli-matcher.ts";
import { formatPath } from "./zod-issues.ts";

export type RuleMode = "generate" | "up";

export interface RuleFindings {
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** The rules the config alone can check; the rules that need derived facts come with resolve. */
export function configProblems(model: StackModel): ConfigIssue[] {
  return [
    ...duplicateNames(model),
    ...portCollisions(model),
    ...unauthenticatedExposure(model),
    ...missingDependencies(model),
    ...logCollectorProblems(model),
    ...receiverProblems(model),
    ...alertingProblems(model),
    ...sloProblems(model),
    ...remoteWriteProblems(model),
    ...agentProblems(model),
    ...traceExportProblems(model),
  ];
}

/**
 * The findings of a load: the rules' errors, unset secrets and notes. An unset secret fails `up`,
 * whose containers would start without it, but only warns on `generate`.
 */
export function gradeFindings(model: StackModel, env: Readonly<Record<string, string | undefined>>, mode: RuleMode, errors: ConfigIssue[]): RuleFindings {
  const unset = unsetSecrets(model, env);
  const notes = existingLokiNotes(model);
  const hostFiles = proxyFileProblems(model);
  return mode === "up" ? { errors: [...errors, ...hostFiles, ...unset], warnings: notes } : { errors: [...errors, ...hostFiles], warnings: [...unset, ...notes] };
}

/**
 * The proxy's certificate and key must be files on this host now: Compose would mount a missing
 * one as an empty directory and Caddy would fail at start. Checked here, with the rest of what the
 * host provides, rather than in the schema, which stays pure; the schema checks their form.
 */
function proxyFileProblems(model: StackModel): ConfigIssue[] {
  const { tls } = model.config.components.proxy;
  if (!model.enabled.proxy || !tls) return [];
  return (["certFile", "keyFile"] as const).flatMap((field) => {
    const found = statSync(tls[field], { throwIfNoEntry: false });
    const problem = !found
      ? { message: "does not exist", hint: "create the file, or fix the path; generate mounts it read-only into the proxy" }
      : found.isFile()
        ? undefined
        : { message: "is not a file", hint: "name the PEM file itself, not its directory" };
    return problem ? [{ path: formatPath(["components", "proxy", "tls", field]), ...problem }] : [];
  });
}

export function duplicates<T>(items: readonly T[], key: (item: T) => string, path: (index: number) => PropertyKey[], what: string): ConfigIssue[] {
  const firstIndex = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  items.forEach((item, index) => {
    const name = key(item);
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, index);
    else
      issues.push({
        path: formatPath(path(index)),
        message: `duplicate ${what} "${name}" (also at index ${first})`,
        hint: `give each ${what} a unique name`,
      });
  });
  return issues;
}

function duplicateNames(model: StackModel): ConfigIssue[] {
  const { config } = model;
  const issues = [
    ...duplicates(config.services, (s) => s.name, (i) => ["services", i, "name"], "service name"),
    ...duplicates(config.alerting.receivers, (r) => r.name, (i) => ["alerting", "receivers", i, "name"], "receiver name"),
    ...duplicates(config.alerting.timeIntervals, (t) => t.name, (i) => ["alerting", "timeIntervals", i, "name"], "time interval name"),
    ...duplicates(config.exporters.postgres, (e) => e.name, (i) => ["exporters", "postgres", i, "name"], "postgres exporter name"),
    ...duplicates(config.exporters.redis, (e) => e.name, (i) => ["exporters", "redis", i, "name"], "redis exporter name"),
    ...duplicates(config.hosts, (h) => h.name, (i) => ["hosts", i, "name"], "host name"),
  ];
  // Service names become scrape job names next to the components' and exporters' own jobs.
  const reserved = new Set([
    ...Object.values(SERVICE_NAMES),
    VOLUME_EXPORTER_SERVICE,
    ...config.exporters.postgres.map((e) => `postgres-exporter-${e.name}`),
    ...config.exporters.redis.map((e) => `redis-exporter-${e.name}`),
  ]);
  config.services.forEach((service, i) => {
    if (reserved.has(service.name) || service.name.startsWith("probe-"))
      issues.push({
        path: formatPath(["services", i, "name"]),
        message: `"${service.name}" is already the name of a stack component, exporter or probe job`,
        hint: "pick another service name so its scrape job and labels stay distinct",
      });
  });
  return issues;
}

interface PublishedPort {
  path: string;
  address: string;
  port: number;
}

export function publishedPorts(model: StackModel): PublishedPort[] {
  const ports: PublishedPort[] = [];
  for (const name of COMPONENT_NAMES) {
    if (!model.enabled[name]) continue;
    // One entry per config field: a port published for TCP and UDP is one number to the user.
    const byField = new Map(componentHostPorts(model.config, name).map(({ path, address, host }) => [path, { path, address, port: host }]));
    ports.push(...byField.values());
  }
  if (collectorShipsContainerLogs(model))
    ports.push({ path: "components.otelCollector.fluentPort", address: FLUENT_BIND_ADDRESS, port: model.config.components.otelCollector.fluentPort });
  return ports;
}

function portCollisions(model: StackModel): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const ports = publishedPorts(model);
  ports.forEach((current, i) => {
    const clash = ports.slice(0, i).find((other) => other.port === current.port && addressesOverlap(other.address, current.address));
    if (clash)
      issues.push({
        path: current.path,
        message: `host port ${current.port} is already used by ${clash.path}`,
        hint: "give one of them another port",
      });
  });
  return issues;
}

const isLoopback = (address: string) => address === "::1" || address.startsWith("127.");

/**
 * With the proxy on, the stack is served beyond localhost through it: a component published
 * elsewhere than loopback beside it would be a way around its authentication, unless the
 * component has a login of its own. Its loopback port stays for the CLI (status, smoke, reload).
 */
function unauthenticatedExposure(model: StackModel): ConfigIssue[] {
  const { config } = model;
  if (!model.enabled.proxy) return [];
  const open = COMPONENT_NAMES.filter(
    (name) => name !== "proxy" && !OWN_LOGIN.includes(name) && model.enabled[name] && !isLoopback(config.components[name].bindAddress ?? config.bindAddress),
  );
  const inherited = open.filter((name) => config.components[name].bindAddress === undefined);
  const issues: ConfigIssue[] = open
    .filter((name) => !inherited.includes(name))
    .map((name) => ({
      path: formatPath(["components", name, "bindAddress"]),
      message: `publishes ${COMPONENTS[name].title}, which has no authentication of its own, on ${config.components[name].bindAddress} beside components.proxy`,
      hint: `remove components.${name}.bindAddress (it then stays on 127.0.0.1) and reach the component through the proxy`,
    }));
  if (inherited.length > 0)
    issues.push({
      path: formatPath(["bindAddress"]),
      message: `publishes ${inherited.map((name) => COMPONENTS[name].title).join(", ")} (no authentication of their own) on ${config.bindAddress} beside components.proxy`,
      hint: `keep bindAddress at 127.0.0.1 and set components.proxy.bindAddress to "${config.bindAddress}": the proxy's port is the one to open`,
    });
  return issues;
}

function addressesOverlap(a: string, b: string): boolean {
  const wildcard = (address: string) => address === "0.0.0.0" || address === "::";
  return a === b || wildcard(a) || wildcard(b);
}

function missingDependencies(model: StackModel): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const name of COMPONENT_NAMES)
    for (const needed of COMPONENTS[name].requires) {
      if (!model.enabled[name] || model.enabled[needed]) continue;
      issues.push({
        path: `components.${name}.enabled`,
        message: `${COMPONENTS[name].title} needs ${COMPONENTS[needed].title}, which is disabled`,
        hint: `enable components.${needed} or disable components.${name}`,
      });
    }
  // Without the Collector the demo's span exports fail and its /health reports "degraded".
  if (model.config.demo.enabled && !model.enabled.otelCollector)
    issues.push({
      path: "demo.enabled",
      message: `the demo service sends its traces to ${COMPONENTS.otelCollector.title}, which is disabled`,
      hint: "enable components.otelCollector or set demo.enabled to false",
    });
  return issues;
}

/**
 * Agents reach this stack only through the proxy (TLS, a token per host) and ship to the Collector's
 * per-host receivers; on their own host they publish two ports, which must differ.
 */
function agentProblems(model: StackModel): ConfigIssue[] {
  const { hosts, agents } = model.config;
  if (hosts.length === 0) return [];
  const issues: ConfigIssue[] = [];
  if (!model.enabled.proxy)
    issues.push({
      path: "hosts",
      message: "agents ship through the proxy, which is disabled",
      hint: "set components.proxy.enabled to true (and its hostname to the name agents reach this machine by), or remove hosts",
    });
  if (!model.enabled.otelCollector)
    issues.push({ path: "hosts", message: `agents ship to ${COMPONENTS.otelCollector.title}, which is disabled`, hint: "enable components.otelCollector, or remove hosts" });
  if (agents.otlpPort === agents.fluentPort)
    issues.push({ path: "agents.fluentPort", message: `is also agents.otlpPort (${agents.otlpPort})`, hint: "give the agent's two ports different numbers" });
  return issues;
}

/**
 * One log agent runs at a time (enabling the one logs.collector does not name is a contradiction),
 * a dedicated agent needs a Loki to ship to, and an existing Loki replaces the bundled one.
 */
function logCollectorProblems(model: StackModel): ConfigIssue[] {
  const { components, logs } = model.config;
  const issues: ConfigIssue[] = LOG_AGENTS.filter((name) => name !== logs.collector && components[name].enabled === true).map((name) => ({
    path: `components.${name}.enabled`,
    message: `${COMPONENTS[name].title} is enabled, but logs.collector is "${logs.collector}" and only one log collector runs`,
    hint: `set logs.collector to "${name}" to ship logs with ${COMPONENTS[name].title}, or remove components.${name}.enabled`,
  }));
  for (const agent of LOG_AGENTS)
    if (model.enabled[agent] && !model.logDestination)
      issues.push({
        path: `components.${agent}.enabled`,
        message: `${COMPONENTS[agent].title} needs a Loki to ship to, but components.loki is disabled and logs.loki.url is not set`,
        hint: `enable components.loki, set logs.loki.url to an existing Loki, or disable components.${agent}`,
      });
  if (logs.collector === "otelcol" && !model.enabled.otelCollector && model.logDestination)
    issues.push({
      path: "components.otelCollector.enabled",
      message: 'logs.collector is "otelcol" (the default), but the Collector is disabled, so no container logs would reach Loki',
      hint: 'enable components.otelCollector, or set logs.collector to "promtail" or "alloy" to ship logs with a dedicated agent',
    });
  // Promtail's and Alloy's clients take credentials from files or their own syntax: not rendered yet.
  for (const field of ["bearerTokenEnv", "headers"] as const)
    if (logs.collector !== "otelcol" && (field === "headers" ? Object.keys(logs.loki.headers).length > 0 : logs.loki[field]))
      issues.push({
        path: `logs.loki.${field}`,
        message: `is used with logs.collector "otelcol" only, not "${logs.collector}"`,
        hint: 'ship logs with the Collector (logs.collector "otelcol", the default), or remove it',
      });
  if ((logs.loki.bearerTokenEnv || Object.keys(logs.loki.headers).length > 0) && !logs.loki.url)
    issues.push({ path: "logs.loki", message: "has credentials or headers but no url: the bundled Loki takes neither", hint: "set logs.loki.url to your Loki, or remove them" });
  if (logs.loki.url && model.enabled.loki)
    issues.push({
      path: "logs.loki.url",
      message: "logs go to an existing Loki, but the bundled Loki is enabled too and would receive nothing",
      hint: "set components.loki.enabled to false, or remove logs.loki.url to use the bundled Loki",
    });
  return issues;
}

/**
 * The bundled Loki indexes the labels the dashboards query by (loki.yml's otlp_config); an existing
 * Loki receiving OTLP keeps them as structured metadata unless its own limits say otherwise.
 */
function existingLokiNotes(model: StackModel): ConfigIssue[] {
  const { logs } = model.config;
  if (!logs.loki.url || !model.enabled.otelCollector) return [];
  return [
    {
      path: "logs.loki.url",
      message: `the Collector sends OTLP logs to ${logs.loki.url}/otlp; the dashboards query the labels ${LOG_INDEX_LABELS.join(", ")}`,
      hint: "that Loki (3.x) must index them: see README \"Logs\" for its limits_config.otlp_config",
    },
  ];
}

function receiverProblems(model: StackModel): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  model.config.alerting.receivers.forEach((receiver, i) => {
    const path = ["alerting", "receivers", i];
    const integrations = [receiver.slack, receiver.pagerduty, receiver.email, receiver.webhook, receiver.opsgenie];
    if (!integrations.some(Boolean))
      issues.push({
        path: formatPath(path),
        message: `receiver "${receiver.name}" has no integration`,
        hint: "add one of slack, pagerduty, email, webhook, opsgenie",
      });
    const webhook = receiver.webhook;
    if (webhook && Boolean(webhook.url) === Boolean(webhook.urlEnv))
      issues.push({
        path: formatPath([...path, "webhook"]),
        message: "needs exactly one of url or urlEnv",
        hint: "use urlEnv when the URL contains a token",
      });
  });
  return issues;
}

function sloProblems(model: StackModel): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  model.config.services.forEach((service, i) => {
    if (service.slo && service.slo.availability === undefined && service.slo.latency === undefined)
      issues.push({
        path: formatPath(["services", i, "slo"]),
        message: "declares neither an availability nor a latency objective",
        hint: "set slo.availability (e.g. 0.999) and/or slo.latency, or remove slo",
      });
    const matcher = service.slo && parseMatcher(service.slo.sli.errorMatcher);
    if (matcher && !isEvaluable(matcher))
      issues.push({
        path: formatPath(["services", i, "slo", "sli", "errorMatcher"]),
        message: "uses RE2 syntax obs-stack cannot evaluate (\\Q…\\E, POSIX or Unicode classes, \\x{…}, octal escapes, flags after the start), so the generated SLO alerts cannot be unit-tested",
        hint: 'write the regex with plain syntax, e.g. http_response_status_code=~"5.." or outcome=~"(?i)error|failure"',
      });
    else if (matcher && !sampleValues(matcher))
      issues.push({
        path: formatPath(["services", i, "slo", "sli", "errorMatcher"]),
        message: "matches none of the usual failure values (500, 5xx, error, failure, true…) or matches success values too",
        hint: 'use a matcher such as http_response_status_code=~"5.." so the generated SLO alerts can be unit-tested',
      });
    if (service.slo && service.metricsPath === false)
      issues.push({
        path: formatPath(["services", i, "slo"]),
        message: "an SLO needs the service's request metrics, but metricsPath is false",
        hint: "expose a metrics endpoint or remove the SLO",
      });
  });
  return issues;
}

/** What Prometheus would refuse at start (or could not do) in metrics.remoteWrite, named by the field to change. */
function remoteWriteProblems(model: StackModel): ConfigIssue[] {
  const targets = model.config.metrics.remoteWrite;
  const at = (i: number, ...field: PropertyKey[]) => formatPath(["metrics", "remoteWrite", i, ...field]);
  const issues = duplicates(targets, (t) => t.name, (i) => ["metrics", "remoteWrite", i, "name"], "remote-write target name");
  if (targets.length > 0 && !model.enabled.prometheus)
    issues.push({
      path: "metrics.remoteWrite",
      message: "the bundled Prometheus sends to these backends, but components.prometheus is disabled",
      hint: "enable components.prometheus, or remove metrics.remoteWrite",
    });
  targets.forEach((target, i) => {
    if (target.basicAuth && target.bearerTokenEnv)
      issues.push({
        path: at(i, "bearerTokenEnv"),
        message: "is set together with basicAuth; Prometheus sends one kind of credentials per target",
        hint: "keep either basicAuth or bearerTokenEnv",
      });
    const { queue } = target;
    if (queue.minShards > queue.maxShards)
      issues.push({
        path: at(i, "queue", "minShards"),
        message: `is ${queue.minShards}, more than queue.maxShards (${queue.maxShards})`,
        hint: "lower minShards or raise maxShards",
      });
    if (durationToSeconds(queue.minBackoff) > durationToSeconds(queue.maxBackoff))
      issues.push({
        path: at(i, "queue", "maxBackoff"),
        message: `is ${queue.maxBackoff}, shorter than queue.minBackoff (${queue.minBackoff})`,
        hint: "raise maxBackoff or lower minBackoff",
      });
  });
  return [...issues, ...oneReader(targets, ["metrics", "remoteWrite"], "Prometheus")];
}

/** Grafana has one datasource of each kind, which the dashboards and links use by its uid: one backend may name where it reads. */
function oneReader(targets: ReadonlyArray<{ queryUrl?: string | undefined }>, path: PropertyKey[], datasource: string): ConfigIssue[] {
  const readers = targets.flatMap((target, i) => (target.queryUrl ? [i] : []));
  return readers.slice(1).map((i) => ({
    path: formatPath([...path, i, "queryUrl"]),
    message: `is set, but so is ${formatPath([...path, readers[0]!, "queryUrl"])}; Grafana's ${datasource} datasource reads from one place`,
    hint: "keep queryUrl on the one backend Grafana should query",
  }));
}

/** The Collector sends to the trace backends; one of them may be where Grafana reads traces. */
function traceExportProblems(model: StackModel): ConfigIssue[] {
  const targets = model.config.traces.export;
  const issues = duplicates(targets, (t) => t.name, (i) => ["traces", "export", i, "name"], "trace backend name");
  if (targets.length > 0 && !model.enabled.otelCollector)
    issues.push({ path: "traces.export", message: `${COMPONENTS.otelCollector.title} sends to these backends, but it is disabled`, hint: "enable components.otelCollector, or remove traces.export" });
  return [...issues, ...oneReader(targets, ["traces", "export"], "Jaeger")];
}

function unsetSecrets(model: StackModel, env: Readonly<Record<string, string | undefined>>): ConfigIssue[] {
  return model.secrets
    .filter((ref) => !env[ref.env])
    .map((ref) => ({
      path: ref.path,
      message: `environment variable ${ref.env} is not set`,
      hint: `export ${ref.env}=... or add it to .env next to your stack config`,
    }));
}
