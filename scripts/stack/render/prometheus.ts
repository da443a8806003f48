/** prometheus.yml: self-monitoring of every enabled component, the user's services, exporters and probes. */
import { COMPONENT_NAMES, SELF_METRICS_PORTS, SERVICE_NAMES, type ComponentName } from "../catalog/components.ts";
import type { StackModel } from "../config/model.ts";
import type { ServiceConfig } from "../config/schema.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { HOST_GATEWAY } from "./compose-services.ts";
import { exporterContainers } from "./exporters.ts";
import { renderTemplate } from "./templates.ts";

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
    jobs: [...componentJobs(model), ...serviceJobs(config.services), ...exporterJobs(model)],
    probes: model.enabled.blackbox ? model.probes : [],
    blackbox: `${SERVICE_NAMES.blackbox}:9115`,
  });
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
  }));
}

function componentTarget(model: StackModel, name: ComponentName): string {
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
  }));
}

function labelList(labels: Readonly<Record<string, string>>): Array<{ name: string; value: string }> {
  return Object.keys(labels)
    .sort()
    .map((name) => ({ name, value: labels[name]! }));
}
