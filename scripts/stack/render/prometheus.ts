/** prometheus.yml: self-monitoring of every enabled component, the user's services, exporters and probes. */
import { COMPONENT_NAMES, SELF_METRICS_PORTS, SERVICE_NAMES, type ComponentName } from "../catalog/components.ts";
import { secretFile, type StackModel } from "../config/model.ts";
import { HOST_LABEL } from "../config/agents.ts";
import type { RemoteWriteConfig, ServiceConfig, StackConfig } from "../config/schema.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { HOST_GATEWAY } from "./compose-services.ts";
import { exporterContainers } from "./exporters.ts";
import { renderTemplate } from "./templates.ts";
import { runsVolumeExporter, VOLUME_EXPORTER_PORT, VOLUME_EXPORTER_SERVICE, VOLUME_MOUNTPOINT_REGEX } from "./volume-exporter.ts";

interface ScrapeJob {
  jobName: string;
  scheme: string;
  metricsPath: string;
  scrapeInterval: string | null;
  honorLabels: boolean;
  /** Only for the user's services: see componentJobs. */
  fallbackScrapeProtocol: string | null;
  targets: string[];
  labels: Array<{ name: string; value: string }>;
  metricRelabels: MetricRelabel[];
}

/** A label set on each scraped series whose source labels match the (anchored) regex. */
interface MetricRelabel {
  sourceLabels: string[];
  regex: string;
  targetLabel: string;
  replacement: string;
}

const PROMETHEUS_CONFIG_DIR = "/etc/prometheus";

export function renderPrometheusConfig(model: ResolvedStack): string {
  const { config } = model;
  return renderTemplate("provisioning/prometheus/prometheus.yml", {
    global: {
      scrapeInterval: model.timings.scrapeInterval,
      evaluationInterval: model.timings.evaluationInterval,
      stack: config.project.name,
    },
    ruleFiles: `${PROMETHEUS_CONFIG_DIR}/rules/*.yml`,
    alertmanager: model.enabled.alertmanager ? `${SERVICE_NAMES.alertmanager}:9093` : null,
    remoteWrite: config.metrics.remoteWrite.map(remoteWrite),
    jobs: [...componentJobs(model), ...serviceJobs(config.services), ...exporterJobs(model), ...volumeExporterJobs(model)],
    probes: model.enabled.blackbox ? model.probes : [],
    blackbox: `${SERVICE_NAMES.blackbox}:9115`,
    hostLabels: agentHostLabels(config),
  });
}

/** `host` and every label a host declares: the central Collector sets them on what its agent ships. */
function agentHostLabels(config: StackConfig): string[] {
  if (config.hosts.length === 0) return [];
  return [HOST_LABEL, ...[...new Set(config.hosts.flatMap((host) => Object.keys(host.labels)))].sort()];
}

/** One remote_write entry; its credentials are the Compose secret files of the variables it names. */
function remoteWrite(target: RemoteWriteConfig) {
  return {
    name: target.name,
    url: target.url,
    timeout: target.timeout,
    headers: labelList(target.headers),
    basicAuth: target.basicAuth ? { username: target.basicAuth.username, passwordFile: secretFile(target.basicAuth.passwordEnv) } : null,
    bearerTokenFile: target.bearerTokenEnv ? secretFile(target.bearerTokenEnv) : null,
    queue: target.queue,
  };
}

/**
 * No fallback_scrape_protocol here or for the exporters: all of them expose metrics through a
 * Prometheus client library, which always sends a Content-Type, so a missing one is a real fault.
 */
function componentJobs(model: StackModel): ScrapeJob[] {
  return COMPONENT_NAMES.filter((name) => model.enabled[name]).map((name) => ({
    jobName: SERVICE_NAMES[name],
    scheme: "http",
    metricsPath: "/metrics",
    scrapeInterval: null,
    honorLabels: name === "pushgateway",
    fallbackScrapeProtocol: null,
    targets: [componentTarget(model, name)],
    labels: [{ name: "component", value: SERVICE_NAMES[name] }],
    metricRelabels: [],
  }));
}

export function componentTarget(model: StackModel, name: ComponentName): string {
  if (name === "prometheus") return "localhost:9090";
  // In the host's network namespace node-exporter listens on the host's side of the Docker bridge.
  if (name === "nodeExporter" && model.config.components.nodeExporter.hostNetwork)
    return `${HOST_GATEWAY}:${model.config.components.nodeExporter.port}`;
  return `${SERVICE_NAMES[name]}:${SELF_METRICS_PORTS[name]}`;
}

function serviceJobs(services: readonly ServiceConfig[]): ScrapeJob[] {
  return services.flatMap((service) => {
    if (service.metricsPath === false) return [];
    const url = new URL(service.url);
    const basePath = url.pathname.replace(/\/$/, "");
    return [
      {
        jobName: service.name,
        scheme: url.protocol.replace(":", ""),
        metricsPath: `${basePath}${service.metricsPath}`,
        scrapeInterval: service.scrapeInterval ?? null,
        honorLabels: false,
        fallbackScrapeProtocol: service.fallbackScrapeProtocol || null,
        targets: [url.host || url.hostname],
        labels: [{ name: "service", value: service.name }, ...labelList(service.labels)],
        metricRelabels: [],
      },
    ];
  });
}

function exporterJobs(model: StackModel): ScrapeJob[] {
  return exporterContainers(model).map((exporter) => ({
    jobName: exporter.serviceName,
    scheme: "http",
    metricsPath: "/metrics",
    scrapeInterval: null,
    honorLabels: false,
    fallbackScrapeProtocol: null,
    targets: [`${exporter.serviceName}:${exporter.port}`],
    labels: [{ name: "instance_name", value: exporter.name }],
    metricRelabels: [],
  }));
}

/**
 * The volume exporter (volume-exporter.ts): each filesystem series gets `service` and `volume` back
 * from the path the volume is mounted at, so the volume alerts and `status` name them.
 */
function volumeExporterJobs(model: StackModel): ScrapeJob[] {
  if (!runsVolumeExporter(model)) return [];
  const fromMountpoint = (targetLabel: string, replacement: string): MetricRelabel => ({ sourceLabels: ["mountpoint"], regex: VOLUME_MOUNTPOINT_REGEX, targetLabel, replacement });
  return [
    {
      jobName: VOLUME_EXPORTER_SERVICE,
      scheme: "http",
      metricsPath: "/metrics",
      scrapeInterval: null,
      honorLabels: false,
      fallbackScrapeProtocol: null,
      targets: [`${VOLUME_EXPORTER_SERVICE}:${VOLUME_EXPORTER_PORT}`],
      labels: [{ name: "component", value: VOLUME_EXPORTER_SERVICE }],
      metricRelabels: [fromMountpoint("service", "$1"), fromMountpoint("volume", "$2")],
    },
  ];
}

function labelList(labels: Readonly<Record<string, string>>): Array<{ name: string; value: string }> {
  return Object.keys(labels)
    .sort()
    .map((name) => ({ name, value: labels[name]! }));
}
