/**
 * Stand-in images for machines that cannot pull: each mirrors its official image's layout (binary
 * paths, entrypoint, user, data directories, and the shell tools its healthcheck relies on), built
 * FROM scratch around the binary that go-build.sh compiles from the component's own Go module.
 */
import { IMAGE_PINS, type ImageName } from "../../scripts/stack/catalog/components.ts";
import { GUARD_TOOLS } from "../../scripts/stack/catalog/start-guard.ts";

export interface StandIn {
  image: ImageName;
  /** go-build.sh tool name and the version passed to it. */
  build: { tool: string; version: string };
  /** Binary name in the build cache → absolute path inside the image. */
  binaries: Record<string, string>;
  entrypoint: string[];
  cmd?: string[];
  user: string;
  workdir?: string;
  /** Directories created in the image, owned by `user` (data dirs the official image owns). */
  ownedDirs: string[];
  /** Other directories the official image has (config dirs). */
  dirs?: string[];
  /** The busybox applets the official image has (its healthcheck uses some of them). */
  busybox: string[];
}

const BUSYBOX_BASICS = ["sh", "wget", "grep", "cat", "echo", "sleep", "ls"];
/** For a component whose entrypoint is the start guard (catalog/start-guard.ts): the official images have them at /bin. */
const WITH_GUARD_TOOLS = [...new Set([...BUSYBOX_BASICS, ...GUARD_TOOLS])];
const version = (name: ImageName) => IMAGE_PINS[name].tag;

export const STAND_INS: readonly StandIn[] = [
  {
    image: "prometheus",
    build: { tool: "prometheus", version: version("prometheus") },
    binaries: { prometheus: "/bin/prometheus", promtool: "/bin/promtool" },
    entrypoint: ["/bin/prometheus"],
    cmd: ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"],
    user: "65534",
    workdir: "/prometheus",
    ownedDirs: ["/prometheus"],
    dirs: ["/etc/prometheus"],
    busybox: WITH_GUARD_TOOLS,
  },
  {
    image: "alertmanager",
    build: { tool: "alertmanager", version: version("alertmanager") },
    binaries: { alertmanager: "/bin/alertmanager", amtool: "/bin/amtool" },
    entrypoint: ["/bin/alertmanager"],
    cmd: ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"],
    user: "65534",
    workdir: "/alertmanager",
    ownedDirs: ["/alertmanager"],
    dirs: ["/etc/alertmanager"],
    busybox: BUSYBOX_BASICS,
  },
  {
    image: "jaeger",
    build: { tool: "jaeger", version: version("jaeger") },
    binaries: { jaeger: "/cmd/jaeger/jaeger-linux" },
    entrypoint: ["/cmd/jaeger/jaeger-linux"],
    user: "10001",
    ownedDirs: [],
    // The official image declares VOLUME /tmp on an alpine base, where /tmp is world-writable.
    dirs: ["/tmp"],
    busybox: WITH_GUARD_TOOLS,
  },
  {
    image: "otelCollector",
    build: { tool: "otelcol-contrib", version: version("otelCollector") },
    binaries: { "otelcol-contrib": "/otelcol-contrib" },
    entrypoint: ["/otelcol-contrib"],
    cmd: ["--config", "/etc/otelcol-contrib/config.yaml"],
    user: "10001",
    // Like the official image, nothing at the volume's path: `up` must prepare the queue directory.
    ownedDirs: [],
    busybox: [],
  },
  {
    image: "nodeExporter",
    build: { tool: "node_exporter", version: version("nodeExporter") },
    binaries: { node_exporter: "/bin/node_exporter" },
    entrypoint: ["/bin/node_exporter"],
    user: "65534",
    ownedDirs: [],
    busybox: BUSYBOX_BASICS,
  },
  {
    image: "blackbox",
    build: { tool: "blackbox_exporter", version: version("blackbox") },
    binaries: { blackbox_exporter: "/bin/blackbox_exporter" },
    entrypoint: ["/bin/blackbox_exporter"],
    cmd: ["--config.file=/etc/blackbox_exporter/config.yml"],
    user: "65534",
    ownedDirs: [],
    dirs: ["/etc/blackbox_exporter"],
    busybox: BUSYBOX_BASICS,
  },
  {
    image: "cadvisor",
    build: { tool: "cadvisor", version: version("cadvisor") },
    binaries: { cadvisor: "/usr/bin/cadvisor" },
    entrypoint: ["/usr/bin/cadvisor", "-logtostderr"],
    user: "0",
    ownedDirs: [],
    busybox: BUSYBOX_BASICS,
  },
  {
    image: "postgresExporter",
    build: { tool: "postgres_exporter", version: version("postgresExporter") },
    binaries: { postgres_exporter: "/bin/postgres_exporter" },
    entrypoint: ["/bin/postgres_exporter"],
    user: "65534",
    ownedDirs: [],
    busybox: BUSYBOX_BASICS,
  },
  {
    image: "redisExporter",
    build: { tool: "redis_exporter", version: version("redisExporter") },
    binaries: { redis_exporter: "/redis_exporter" },
    entrypoint: ["/redis_exporter"],
    user: "59000",
    ownedDirs: [],
    busybox: [],
  },
  {
    image: "pushgateway",
    build: { tool: "pushgateway", version: version("pushgateway") },
    binaries: { pushgateway: "/bin/pushgateway" },
    entrypoint: ["/bin/pushgateway"],
    user: "65534",
    workdir: "/pushgateway",
    ownedDirs: ["/pushgateway"],
    busybox: BUSYBOX_BASICS,
  },
  {
    image: "statsdExporter",
    build: { tool: "statsd_exporter", version: version("statsdExporter") },
    binaries: { statsd_exporter: "/bin/statsd_exporter" },
    entrypoint: ["/bin/statsd_exporter"],
    user: "65534",
    ownedDirs: [],
    busybox: BUSYBOX_BASICS,
  },
  {
    image: "proxy",
    build: { tool: "caddy", version: version("proxy") },
    binaries: { caddy: "/usr/bin/caddy" },
    // The official image (alpine) has no entrypoint: its CMD runs caddy, as root.
    entrypoint: [],
    cmd: ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"],
    user: "0",
    workdir: "/srv",
    ownedDirs: [],
    dirs: ["/etc/caddy", "/config/caddy", "/data/caddy", "/srv"],
    // The official image is alpine: the start script copies the binary with these (catalog/components/proxy.ts).
    busybox: [...BUSYBOX_BASICS, "cp", "mkdir", "rm"],
  },
];

const AGPL = "its source is AGPL (scripts/stack/catalog/forbidden-modules.ts), so this project never fetches or builds it";

/**
 * Components the testbed does not boot, with the reason; the e2e config switches them off and the
 * e2e prints this list. Where images can be pulled (`E2E_IMAGES=official`) they all boot.
 */
export const NOT_BUILT: Partial<Record<ImageName, string>> = {
  grafana: `${AGPL}; here its provisioning is checked by typed models and every dashboard query runs against the live datasources`,
  loki: `${AGPL}; here the log path is proven up to its door: the Collector ships to a recording OTLP receiver`,
  promtail: `${AGPL} (it lives in Loki's module); here its config is checked by a typed model`,
  alloy: "its go.mod requires Loki's AGPL module, so this project never fetches or builds it; here its config is checked by a typed model",
  k6: `${AGPL}; here its generated scripts are type-checked against @types/k6 and their options by a typed model`,
};

export const STAND_IN_PREFIX = "obs-testbed";

/** Tagged with the version built, under a local prefix that no registry serves. */
export function standInTag(standIn: StandIn): string {
  const pin = IMAGE_PINS[standIn.image];
  return `${STAND_IN_PREFIX}/${pin.repository.split("/").pop()}:${standIn.build.version}`;
}
