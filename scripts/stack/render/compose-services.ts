/**
 * One Compose service spec per component, as data; compose/compose.yaml.hbs lays them out.
 * Healthchecks use only what each upstream image contains (see catalog/components.ts).
 */
import { namedVolumes, wgetProbe } from "../catalog/component-definition.ts";
import { COMPONENT_NAMES, definitionOf, SERVICE_NAMES, type ComponentName } from "../catalog/components.ts";
import { componentHostPorts, FLUENT_BIND_ADDRESS } from "../config/addresses.ts";
import { AGENT_CA_FILE, AGENT_TOKEN_ENV } from "../config/agents.ts";
import { collectorShipsContainerLogs, type StackModel } from "../config/model.ts";
import { DEMO_HEALTHCHECK_TEST } from "../../../demo/src/healthcheck.ts";
import { exporterContainers } from "./exporters.ts";
import { fromEnvironment, withExposure } from "./exposure.ts";
import type { LoggingSpec } from "./log-shipping.ts";
import { COLLECTOR_FLUENT_PORT } from "./otelcol.ts";
import { LOG_LABELS } from "./promtail.ts";
import { runsVolumeExporter, VOLUME_EXPORTER_COMMAND, VOLUME_EXPORTER_USER, VOLUME_EXPORTER_PORT, VOLUME_EXPORTER_SERVICE, volumeMountPath } from "./volume-exporter.ts";

export interface Healthcheck {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  startPeriod: string;
}

export interface ServiceSpec {
  name: string;
  image: string;
  /** Empty: the image's own entrypoint. */
  entrypoint: string[];
  command: string[];
  ports: PortMapping[];
  volumes: string[];
  environment: Array<{ name: string; value: string }>;
  healthcheck: Healthcheck | null;
  dependsOn: Array<{ service: string; condition: "service_healthy" | "service_started" }>;
  memory: string;
  /**
   * Secret files Compose copies into the container: root-owned, mode 0444, so the image's non-root
   * user can read them. Setting uid/gid makes Docker 20.10 resolve the user on the HOST (getent),
   * which fails for image users such as Grafana's 472, so the short form is used on purpose.
   */
  secrets: string[];
  /** null: the image's user. */
  user: string | null;
  capDropAll: boolean;
  capAdd: string[];
  readOnly: boolean;
  pidHost: boolean;
  /** network_mode: host. Such a service publishes no ports: its listen address is its exposure. */
  hostNetwork: boolean;
  hostGateway: boolean;
  devices: string[];
  labels: Array<{ name: string; value: string }>;
  /** null: the engine's default log driver. */
  logging: LoggingSpec | null;
}

export const GRAFANA_PASSWORD_ENV = "GRAFANA_ADMIN_PASSWORD";
/** The host as containers see it: `extra_hosts` maps it to the Docker bridge gateway (host-gateway). */
export const HOST_GATEWAY = "host.docker.internal";

function health(test: readonly string[]): Healthcheck {
  // 5s: `up --wait` notices readiness quickly; 12 retries still allow a minute of trouble before "unhealthy".
  return { test: [...test], interval: "5s", timeout: "3s", retries: 12, startPeriod: "30s" };
}

export interface PortMapping {
  /** The host address, without IPv6 brackets. */
  address: string;
  host: number;
  container: number;
  /** Absent for TCP, Compose's default. */
  protocol?: "udp";
}

/** The defaults every stack container starts from: least privilege, labelled as stack logs. */
function minimalSpec(name: string, image: string, memory: string): ServiceSpec {
  return {
    name,
    image,
    entrypoint: [],
    command: [],
    ports: [],
    volumes: [],
    environment: [],
    healthcheck: null,
    dependsOn: [],
    memory,
    secrets: [],
    user: null,
    capDropAll: true,
    capAdd: [],
    // Exporters and the demo write nothing; the components' definitions say for each of them.
    readOnly: true,
    pidHost: false,
    hostNetwork: false,
    hostGateway: false,
    devices: [],
    labels: [
      { name: LOG_LABELS.service, value: name },
      { name: LOG_LABELS.category, value: "stack" },
    ],
    logging: null,
  };
}

/** A component's service as its definition describes it: the parts that do not depend on the config. */
function definedSpec(model: StackModel, name: ComponentName): ServiceSpec {
  const { service, configMounts, container } = definitionOf(name);
  const settings = model.config.components[name];
  return {
    ...minimalSpec(service, model.images[name], settings.memory),
    entrypoint: [...(container.entrypoint ?? [])],
    command: [...container.command],
    ports: componentHostPorts(model.config, name).map(({ address, host, container, protocol }) => ({ address, host, container, ...(protocol === "udp" ? { protocol } : {}) })),
    volumes: [...configMounts.map((mount) => `./${mount.dir}:${mount.target}:ro`), ...container.volumes],
    healthcheck: container.healthcheck && health(container.healthcheck),
    dependsOn: container.dependsOnHealthy
      .filter((needed) => model.enabled[needed])
      .map((needed) => ({ service: SERVICE_NAMES[needed], condition: "service_healthy" as const })),
    hostGateway: container.hostGateway,
    readOnly: container.readOnlyRootFilesystem,
    pidHost: container.pidHost ?? false,
    user: container.user ?? null,
    capAdd: [...(container.capAdd ?? [])],
    devices: [...(container.devices ?? [])],
  };
}

type SpecExtras = (model: StackModel, spec: ServiceSpec) => ServiceSpec;

/** What the config adds to a component's service beyond its definition. */
const CONFIG_EXTRAS: Partial<Readonly<Record<ComponentName, SpecExtras>>> = {
  prometheus: (model, spec) => {
    const { retention } = model.config.components.prometheus;
    const retentionFlags = [`--storage.tsdb.retention.time=${retention.time}`, ...(retention.size ? [`--storage.tsdb.retention.size=${retention.size}`] : [])];
    // Beside the storage path they govern.
    return {
      ...spec,
      command: spec.command.flatMap((flag) => (flag.startsWith("--storage.tsdb.path=") ? [flag, ...retentionFlags] : [flag])),
      secrets: secretNamesFor(model, "metrics"),
    };
  },
  alertmanager: (model, spec) => ({ ...spec, secrets: secretNamesFor(model, "alerting") }),
  grafana: (model, spec) => ({
    ...spec,
    environment: [
      { name: "GF_SECURITY_ADMIN_USER", value: model.config.components.grafana.adminUser },
      // Grafana's own `$__file{}` expansion (not the image's `__FILE` entrypoint convention), so it
      // works with any Grafana build; `$$` is Compose's escape for a literal `$`.
      { name: "GF_SECURITY_ADMIN_PASSWORD", value: `$$__file{/run/secrets/${GRAFANA_PASSWORD_ENV.toLowerCase()}}` },
      { name: "GF_AUTH_ANONYMOUS_ENABLED", value: "false" },
      { name: "GF_USERS_ALLOW_SIGN_UP", value: "false" },
      { name: "GF_ANALYTICS_REPORTING_ENABLED", value: "false" },
      { name: "GF_ANALYTICS_CHECK_FOR_UPDATES", value: "false" },
      { name: "GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES", value: "false" },
      { name: "GF_SECURITY_DISABLE_GRAVATAR", value: "true" },
      { name: "GF_PATHS_PROVISIONING", value: "/etc/grafana/provisioning" },
      // An existing Loki's token, which its datasource expands (render/grafana.ts).
      ...(model.config.logs.loki.url && model.config.logs.loki.bearerTokenEnv ? [fromEnvironment(model.config.logs.loki.bearerTokenEnv)] : []),
    ],
    secrets: [GRAFANA_PASSWORD_ENV.toLowerCase()],
  }),
  otelCollector: (model, spec) => ({
    ...spec,
    // An agent ships to this stack only; this stack's Collector sends to your trace backends
    // (traces.export) with their tokens from .env, through its environment: the root stays read-only.
    ...(model.agent
      ? agentCollector(model, spec)
      : { environment: [...spec.environment, ...backendTokenEnv(model).map(fromEnvironment)] }),
    ports: [
      ...spec.ports,
      // The Docker daemon on this host, not a container, sends every container's log lines here:
      // loopback always, whatever bindAddress exposes — Fluent Forward has no authentication.
      ...(collectorShipsContainerLogs(model)
        ? [{ address: FLUENT_BIND_ADDRESS, host: model.config.components.otelCollector.fluentPort, container: COLLECTOR_FLUENT_PORT }]
        : []),
    ],
  }),
  nodeExporter: (model, spec) => {
    const { hostNetwork, port, bindAddress } = model.config.components.nodeExporter;
    if (!hostNetwork) return spec;
    // Nothing is published from the host's network namespace, so the listen addresses are the
    // exposure: where the user publishes (bindAddress, 127.0.0.1 by default) and the host's side of
    // the Docker bridge, the name Prometheus's container knows the host by. A wildcard covers both.
    const address = bindAddress ?? model.config.bindAddress;
    const wildcard = address === "0.0.0.0" || address === "::";
    const hostAndPort = (host: string) => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);
    return {
      ...spec,
      command: [...spec.command, ...(wildcard ? [address] : [address, HOST_GATEWAY]).map((host) => `--web.listen-address=${hostAndPort(host)}`)],
      ports: [],
      hostNetwork: true,
      // The daemon writes host.docker.internal into this container's /etc/hosts too.
      hostGateway: true,
      // By IP, so no name lookup can fail; node-exporter exits unless every listener is up.
      healthcheck: health(["CMD", "wget", "-q", "--spider", `http://${hostAndPort(wildcard ? "127.0.0.1" : address)}/metrics`]),
    };
  },
};

/** The tokens of your backends the Collector sends to (traces.export, logs.loki), each once. */
function backendTokenEnv(model: StackModel): string[] {
  const { traces, logs } = model.config;
  return [...new Set([...traces.export.map((target) => target.bearerTokenEnv), logs.loki.bearerTokenEnv].filter((env): env is string => env !== undefined))];
}

/**
 * An agent's Collector takes its host's token from the agent's .env (Compose interpolates it; no
 * file holds it) and, when agents.caFile names one, the central proxy's CA at a fixed path.
 */
function agentCollector(model: StackModel, spec: ServiceSpec): Pick<ServiceSpec, "environment" | "volumes"> {
  const { caFile } = model.config.agents;
  return {
    environment: [...spec.environment, fromEnvironment(AGENT_TOKEN_ENV)],
    volumes: [...spec.volumes, ...(caFile ? [`${caFile}:${AGENT_CA_FILE}:ro`] : [])],
  };
}

/**
 * Compose copies a secret taken from an environment variable into the container, which a
 * read-only root refuses ("`file` is the sole supported option"): a service that gets one keeps a
 * writable root.
 */
function withWritableSecrets(spec: ServiceSpec): ServiceSpec {
  return spec.secrets.length > 0 ? { ...spec, readOnly: false } : spec;
}

function secretNamesFor(model: StackModel, area: "alerting" | "metrics"): string[] {
  const names = model.secrets.filter((ref) => ref.path.startsWith(area)).map((ref) => ref.secretName);
  return [...new Set(names)].sort();
}

/** Every enabled component's service, then the volume exporter that watches their volumes. */
export function componentServices(model: StackModel): ServiceSpec[] {
  const components = COMPONENT_NAMES.filter((name) => model.enabled[name]).map((name) => {
    const spec = definedSpec(model, name);
    return withWritableSecrets(withExposure(model, name, CONFIG_EXTRAS[name]?.(model, spec) ?? spec));
  });
  return [...components, ...volumeExporterServices(model, components)];
}

/**
 * See volume-exporter.ts. node-exporter's image and memory limit: the same binary with one
 * collector. Read-only mounts, so it can never change the data it measures; not published: only
 * Prometheus, on the stack's network, reads it.
 */
function volumeExporterServices(model: StackModel, watched: readonly ServiceSpec[]): ServiceSpec[] {
  if (!runsVolumeExporter(model)) return [];
  return [
    {
      ...minimalSpec(VOLUME_EXPORTER_SERVICE, model.images.nodeExporter, model.config.components.nodeExporter.memory),
      command: [...VOLUME_EXPORTER_COMMAND],
      user: VOLUME_EXPORTER_USER,
      volumes: watched.flatMap((spec) => namedVolumes(spec.volumes).map(({ volume }) => `${volume}:${volumeMountPath(spec.name, volume)}:ro`)),
      healthcheck: health(wgetProbe(VOLUME_EXPORTER_PORT, "/metrics")),
    },
  ];
}

export function exporterServices(model: StackModel): ServiceSpec[] {
  return exporterContainers(model).map((exporter) => ({
    ...minimalSpec(exporter.serviceName, exporter.image, "128m"),
    environment: exporter.environment,
    // postgres-exporter is busybox-based (wget); redis_exporter is FROM scratch (no healthcheck possible).
    healthcheck: exporter.kind === "postgres" ? health(wgetProbe(exporter.port, "/metrics")) : null,
    hostGateway: true,
  }));
}

const DEMO_SERVICE = "demo";
const DEMO_PORT = 8080;

/** The bundled demo service: traffic, metrics, JSON logs and traces for the dashboards to show. */
export function demoServices(model: StackModel): ServiceSpec[] {
  const { demo } = model.config;
  if (!demo.enabled) return [];
  const spec = minimalSpec(DEMO_SERVICE, model.images.demo, "256m");
  return [
    {
      ...spec,
      environment: [
        { name: "PORT", value: String(DEMO_PORT) },
        { name: "OTEL_SERVICE_NAME", value: DEMO_SERVICE },
        ...(model.enabled.otelCollector
          ? [{ name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: `http://${SERVICE_NAMES.otelCollector}:4318` }]
          : []),
        { name: "DEMO_TRAFFIC_RPS", value: String(demo.trafficRps) },
      ],
      healthcheck: health([...DEMO_HEALTHCHECK_TEST]),
      dependsOn: model.enabled.otelCollector ? [{ service: SERVICE_NAMES.otelCollector, condition: "service_started" }] : [],
      labels: spec.labels.map((label) => (label.name === LOG_LABELS.category ? { ...label, value: "app" } : label)),
    },
  ];
}
