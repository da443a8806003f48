/**
 * Stand-in images for machines that cannot pull: each mirrors its official image's layout (binary
 * paths, entrypoint, user, data directories, and the shell tools its healthcheck relies on), built
 * FROM scratch around the binary that go-build.sh compiles from the component's own Go module.
 */
import { IMAGE_PINS, type ImageName } from "../../scripts/stack/catalog/components.ts";

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
  /** Official image is Ubuntu with bash: its healthcheck uses bash's /dev/tcp. */
  bash?: boolean;
  /** Directories of the build cache copied into the image (cache-relative → image path). */
  trees?: Record<string, string>;
  /** Files written into the image (image path → contents). */
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** Why the stand-in is built at another version than the pinned one. */
  substitute?: string;
}

const BUSYBOX_BASICS = ["sh", "wget", "grep", "cat", "echo", "sleep", "ls"];
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
    busybox: BUSYBOX_BASICS,
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
    image: "loki",
    build: { tool: "loki", version: version("loki") },
    binaries: { loki: "/usr/bin/loki" },
    entrypoint: ["/usr/bin/loki"],
    cmd: ["-config.file=/etc/loki/local-config.yaml"],
    user: "10001",
    ownedDirs: ["/loki"],
    dirs: ["/etc/loki"],
    busybox: [],
  },
  {
    image: "promtail",
    build: { tool: "promtail", version: version("promtail") },
    binaries: { promtail: "/usr/bin/promtail" },
    entrypoint: ["/usr/bin/promtail"],
    cmd: ["-config.file=/etc/promtail/config.yml"],
    user: "0",
    ownedDirs: ["/var/lib/promtail"],
    dirs: ["/etc/promtail"],
    busybox: ["sh", "grep", "cat", "echo", "sleep"],
    bash: true,
  },
  {
    image: "alloy",
    build: { tool: "alloy", version: version("alloy") },
    binaries: { alloy: "/bin/alloy" },
    entrypoint: ["/bin/alloy"],
    cmd: ["run", "/etc/alloy/config.alloy", "--storage.path=/var/lib/alloy/data"],
    // The official image runs as root; its `alloy` user (473) exists but is not the default.
    user: "0",
    ownedDirs: ["/var/lib/alloy/data"],
    dirs: ["/etc/alloy"],
    busybox: ["sh", "grep", "cat", "echo", "sleep"],
    bash: true,
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
    busybox: BUSYBOX_BASICS,
  },
  {
    image: "otelCollector",
    build: { tool: "otelcol-contrib", version: version("otelCollector") },
    binaries: { "otelcol-contrib": "/otelcol-contrib" },
    entrypoint: ["/otelcol-contrib"],
    cmd: ["--config", "/etc/otelcol-contrib/config.yaml"],
    user: "10001",
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
    image: "grafana",
    build: { tool: "grafana", version: "10.0.0" },
    binaries: { grafana: "/usr/share/grafana/bin/grafana" },
    trees: { home: "/usr/share/grafana" },
    files: { "/etc/grafana/grafana.ini": "" },
    entrypoint: ["/usr/share/grafana/bin/grafana", "server", "--homepath=/usr/share/grafana", "--config=/etc/grafana/grafana.ini"],
    env: {
      GF_PATHS_HOME: "/usr/share/grafana",
      GF_PATHS_CONFIG: "/etc/grafana/grafana.ini",
      GF_PATHS_DATA: "/var/lib/grafana",
      GF_PATHS_LOGS: "/var/log/grafana",
      GF_PATHS_PLUGINS: "/var/lib/grafana/plugins",
      GF_PATHS_PROVISIONING: "/etc/grafana/provisioning",
    },
    user: "472",
    workdir: "/usr/share/grafana",
    ownedDirs: ["/var/lib/grafana", "/var/log/grafana"],
    dirs: ["/etc/grafana/provisioning"],
    busybox: BUSYBOX_BASICS,
    substitute:
      "the Go module proxy serves no Grafana 12.x/13.x release (every tag and pseudo-version is refused); 10.0.0 is the newest release it serves. Its backend (no frontend) checks provisioning, datasources and dashboards.",
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
    image: "k6",
    build: { tool: "k6", version: version("k6") },
    binaries: { k6: "/usr/bin/k6" },
    entrypoint: ["/usr/bin/k6"],
    user: "12345",
    workdir: "/home/k6",
    ownedDirs: ["/home/k6"],
    busybox: BUSYBOX_BASICS,
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
];

/** Components the testbed cannot build here, with the reason (reported by the e2e test and README). */
export const NOT_BUILT: Partial<Record<ImageName, string>> = {};

export const STAND_IN_PREFIX = "obs-testbed";

/** Tagged with the version actually built, so a substitute never poses as the pinned version. */
export function standInTag(standIn: StandIn): string {
  const pin = IMAGE_PINS[standIn.image];
  return `${STAND_IN_PREFIX}/${pin.repository.split("/").pop()}:${standIn.build.version}`;
}
