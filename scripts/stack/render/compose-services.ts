/**
 * One Compose service spec per component, as data; compose/compose.yaml.hbs lays them out.
 * Healthchecks use only what each upstream image contains (see catalog/components.ts).
 */
import { COMPONENT_DEFAULTS, SERVICE_NAMES, type ComponentName } from "../catalog/components.ts";
import { FLUENT_BIND_ADDRESS } from "../config/addresses.ts";
import { collectorShipsContainerLogs, type StackModel } from "../config/model.ts";
import { DEMO_HEALTHCHECK_TEST } from "../../../demo/src/healthcheck.ts";
import { exporterContainers } from "./exporters.ts";
import { DOCKER_SOCKET } from "./alloy.ts";
import type { LoggingSpec } from "./log-shipping.ts";
import { COLLECTOR_FLUENT_PORT } from "./otelcol.ts";
import { LOG_LABELS } from "./promtail.ts";

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
  capDropAll: boolean;
  capAdd: string[];
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

const ALLOY_STORAGE = "/var/lib/alloy-data";

const wgetHealth = (port: number, path: string): Healthcheck =>
  health(["CMD", "wget", "-q", "--spider", `http://127.0.0.1:${port}${path}`]);

/** For the Ubuntu-based images without wget or curl (Promtail, Alloy): bash's /dev/tcp is what they have. */
const bashHttpHealth = (port: number, path: string): Healthcheck =>
  health([
    "CMD",
    "bash",
    "-c",
    `exec 3<>/dev/tcp/127.0.0.1/${port} && printf "GET ${path} HTTP/1.0\\r\\n\\r\\n" >&3 && grep -q "200 OK" <&3`,
  ]);

function health(test: string[]): Healthcheck {
  // 5s: `up --wait` notices readiness quickly; 12 retries still allow a minute of trouble before "unhealthy".
  return { test, interval: "5s", timeout: "3s", retries: 12, startPeriod: "30s" };
}

export interface PortMapping {
  /** The host address, without IPv6 brackets. */
  address: string;
  host: number;
  container: number;
}

function publish(model: StackModel, name: ComponentName, host: number, container: number): PortMapping {
  return { address: model.config.components[name].bindAddress ?? model.config.bindAddress, host, container };
}

/** The defaults every stack container starts from: least privilege, labelled as stack logs. */
function minimalSpec(name: string, image: string, memory: string): ServiceSpec {
  return {
    name,
    image,
    command: [],
    ports: [],
    volumes: [],
    environment: [],
    healthcheck: null,
    dependsOn: [],
    memory,
    secrets: [],
    capDropAll: true,
    capAdd: [],
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

function base(model: StackModel, name: ComponentName): ServiceSpec {
  const component = model.config.components[name];
  return {
    ...minimalSpec(SERVICE_NAMES[name], model.images[name], component.memory),
    ports: [publish(model, name, component.port, COMPONENT_DEFAULTS[name].containerPort)],
  };
}

const healthyIfEnabled = (model: StackModel, names: ComponentName[]) =>
  names
    .filter((name) => model.enabled[name])
    .map((name) => ({ service: SERVICE_NAMES[name], condition: "service_healthy" as const }));

type SpecBuilder = (model: StackModel, spec: ServiceSpec) => ServiceSpec;

const BUILDERS: Readonly<Record<ComponentName, SpecBuilder>> = {
  prometheus: (model, spec) => {
    const { retention } = model.config.components.prometheus;
    return {
      ...spec,
      command: [
        "--config.file=/etc/prometheus/prometheus.yml",
        "--storage.tsdb.path=/prometheus",
        `--storage.tsdb.retention.time=${retention.time}`,
        ...(retention.size ? [`--storage.tsdb.retention.size=${retention.size}`] : []),
        "--web.enable-remote-write-receiver",
        "--web.enable-otlp-receiver",
        "--enable-feature=exemplar-storage",
      ],
      volumes: ["./prometheus:/etc/prometheus:ro", "prometheus-data:/prometheus"],
      healthcheck: wgetHealth(9090, "/-/ready"),
      hostGateway: true,
    };
  },
  alertmanager: (_model, spec) => ({
    ...spec,
    command: [
      "--config.file=/etc/alertmanager/alertmanager.yml",
      "--storage.path=/alertmanager",
      // A single instance: no gossip port, no cluster peers.
      "--cluster.listen-address=",
    ],
    volumes: ["./alertmanager:/etc/alertmanager:ro", "alertmanager-data:/alertmanager"],
    healthcheck: wgetHealth(9093, "/-/ready"),
    secrets: secretNamesFor(_model, "alerting"),
    // The smoke check's webhook sink listens on the host's Docker bridge.
    hostGateway: true,
  }),
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
    ],
    volumes: [
      "./grafana/provisioning:/etc/grafana/provisioning:ro",
      "./grafana/dashboards:/etc/grafana/dashboards:ro",
      "grafana-data:/var/lib/grafana",
    ],
    healthcheck: wgetHealth(3000, "/api/health"),
    dependsOn: healthyIfEnabled(model, ["prometheus", "loki", "jaeger"]),
    secrets: [GRAFANA_PASSWORD_ENV.toLowerCase()],
  }),
  loki: (_model, spec) => ({
    ...spec,
    command: ["-config.file=/etc/loki/loki.yml"],
    volumes: ["./loki:/etc/loki:ro", "loki-data:/loki"],
    healthcheck: health(["CMD", "/usr/bin/loki", "-health"]),
  }),
  promtail: (model, spec) => ({
    ...spec,
    command: ["-config.file=/etc/promtail/promtail.yml"],
    volumes: [
      "./promtail:/etc/promtail:ro",
      "promtail-positions:/var/lib/promtail",
      "/var/run/docker.sock:/var/run/docker.sock:ro",
    ],
    healthcheck: bashHttpHealth(9080, "/ready"),
    dependsOn: healthyIfEnabled(model, ["loki"]),
  }),
  alloy: (model, spec) => ({
    ...spec,
    command: [
      "run",
      "/etc/alloy/config.alloy",
      // Alloy listens on 127.0.0.1 by default: unreachable for Prometheus and the published port.
      `--server.http.listen-addr=0.0.0.0:${COMPONENT_DEFAULTS.alloy.containerPort}`,
      `--storage.path=${ALLOY_STORAGE}`,
      // No usage reports to Grafana Labs, like Grafana's GF_ANALYTICS_REPORTING_ENABLED=false.
      "--disable-reporting",
    ],
    // The image's default user is root, kept (as for Promtail) because the Docker socket is
    // root:docker 0660 and the host's docker group id is unknown here. Its own storage directory
    // /var/lib/alloy belongs to the unused `alloy` user with mode 0770, which root without
    // CAP_DAC_OVERRIDE cannot enter, so its data (read positions) lives on a volume of its own.
    volumes: ["./alloy:/etc/alloy:ro", `alloy-data:${ALLOY_STORAGE}`, `${DOCKER_SOCKET}:${DOCKER_SOCKET}:ro`],
    healthcheck: bashHttpHealth(COMPONENT_DEFAULTS.alloy.containerPort, "/-/ready"),
    dependsOn: healthyIfEnabled(model, ["loki"]),
  }),
  jaeger: (_model, spec) => ({
    ...spec,
    command: ["--config=/etc/jaeger/config.yaml"],
    // The image runs as 10001 and declares VOLUME /tmp; a named volume there inherits /tmp's
    // world-writable mode, where one at a new path would be root-owned and unwritable.
    volumes: ["./jaeger:/etc/jaeger:ro", "jaeger-data:/tmp"],
    healthcheck: wgetHealth(13133, "/status"),
  }),
  otelCollector: (model, spec) => ({
    ...spec,
    command: ["--config=/etc/otelcol-contrib/config.yaml"],
    ports: [
      publish(model, "otelCollector", model.config.components.otelCollector.port, 4318),
      publish(model, "otelCollector", model.config.components.otelCollector.grpcPort, 4317),
      // The Docker daemon on this host, not a container, sends every container's log lines here:
      // loopback always, whatever bindAddress exposes — Fluent Forward has no authentication.
      ...(collectorShipsContainerLogs(model)
        ? [{ address: FLUENT_BIND_ADDRESS, host: model.config.components.otelCollector.fluentPort, container: COLLECTOR_FLUENT_PORT }]
        : []),
    ],
    volumes: ["./otelcol:/etc/otelcol-contrib:ro"],
    // An existing Loki (logs.loki.url) may run on the host.
    hostGateway: true,
    // FROM scratch: nothing inside can call health_check on :13133, so Compose only knows "running";
    // `npm run smoke` proves it works end to end (OTLP in, Jaeger and Prometheus out).
    healthcheck: null,
    dependsOn: healthyIfEnabled(model, ["jaeger", "prometheus", "loki"]),
  }),
  nodeExporter: (model, spec) => {
    const { hostNetwork, port, bindAddress } = model.config.components.nodeExporter;
    const hostView: ServiceSpec = {
      ...spec,
      command: ["--path.rootfs=/host"],
      // No `rslave`: it fails where / is not a shared mount (containers, some VMs); without it only
      // filesystems mounted after start are missed until a restart.
      volumes: ["/:/host:ro"],
      pidHost: true,
      healthcheck: wgetHealth(9100, "/metrics"),
    };
    if (!hostNetwork) return hostView;
    // Nothing is published from the host's network namespace, so the listen addresses are the
    // exposure: where the user publishes (bindAddress, 127.0.0.1 by default) and the host's side of
    // the Docker bridge, the name Prometheus's container knows the host by. A wildcard covers both.
    const address = bindAddress ?? model.config.bindAddress;
    const wildcard = address === "0.0.0.0" || address === "::";
    const hostAndPort = (host: string) => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);
    return {
      ...hostView,
      command: [...hostView.command, ...(wildcard ? [address] : [address, HOST_GATEWAY]).map((host) => `--web.listen-address=${hostAndPort(host)}`)],
      ports: [],
      hostNetwork: true,
      // The daemon writes host.docker.internal into this container's /etc/hosts too.
      hostGateway: true,
      // By IP, so no name lookup can fail; node-exporter exits unless every listener is up.
      healthcheck: health(["CMD", "wget", "-q", "--spider", `http://${hostAndPort(wildcard ? "127.0.0.1" : address)}/metrics`]),
    };
  },
  cadvisor: (_model, spec) => ({
    ...spec,
    command: ["--docker_only=true", "--housekeeping_interval=15s", "--store_container_labels=false"],
    volumes: ["/:/rootfs:ro", "/var/run:/var/run:ro", "/sys:/sys:ro", "/var/lib/docker/:/var/lib/docker:ro", "/dev/disk/:/dev/disk:ro"],
    // Not privileged: read-only host mounts plus /dev/kmsg for OOM events. Reading /dev/kmsg needs
    // CAP_SYSLOG where kernel.dmesg_restrict=1 (Ubuntu's default), so that one capability is kept.
    devices: ["/dev/kmsg"],
    capAdd: ["SYSLOG"],
    healthcheck: wgetHealth(8080, "/healthz"),
  }),
  blackbox: (_model, spec) => ({
    ...spec,
    command: ["--config.file=/etc/blackbox_exporter/blackbox.yml"],
    volumes: ["./blackbox:/etc/blackbox_exporter:ro"],
    healthcheck: wgetHealth(9115, "/-/healthy"),
    hostGateway: true,
  }),
  pushgateway: (_model, spec) => ({
    ...spec,
    healthcheck: wgetHealth(9091, "/-/healthy"),
  }),
};

function secretNamesFor(model: StackModel, area: "alerting"): string[] {
  const names = model.secrets.filter((ref) => ref.path.startsWith(area)).map((ref) => ref.secretName);
  return [...new Set(names)].sort();
}

export function componentServices(model: StackModel): ServiceSpec[] {
  return (Object.keys(BUILDERS) as ComponentName[])
    .filter((name) => model.enabled[name])
    .map((name) => BUILDERS[name](model, base(model, name)));
}

export function exporterServices(model: StackModel): ServiceSpec[] {
  return exporterContainers(model).map((exporter) => ({
    ...minimalSpec(exporter.serviceName, exporter.image, "128m"),
    environment: exporter.environment,
    // postgres-exporter is busybox-based (wget); redis_exporter is FROM scratch (no healthcheck possible).
    healthcheck: exporter.kind === "postgres" ? wgetHealth(exporter.port, "/metrics") : null,
    hostGateway: true,
  }));
}

export const DEMO_SERVICE = "demo";
export const DEMO_PORT = 8080;

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
