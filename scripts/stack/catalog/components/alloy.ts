import { bashHttpProbe, DOCKER_SOCKET, type ComponentDefinition } from "../component-definition.ts";

const PORT = 12345;
const STORAGE = "/var/lib/alloy-data";

export const alloy = {
  title: "Grafana Alloy",
  note: 'Runs instead of the Collector as the log agent with `logs.collector: "alloy"`.',
  // v1.15.1: the newest Alloy release whose module the Go module proxy serves (every other release
  // from v1.12.0 to v1.17.0 is refused), so the testbed builds the pinned version (docs/decisions.md).
  image: { repository: "grafana/alloy", tag: "v1.15.1" },
  service: "alloy",
  port: PORT,
  selfMetricsPort: PORT,
  memory: "512m",
  enabledByDefault: true,
  settings: {},
  extraPorts: [],
  requires: [],
  container: {
    command: [
      "run",
      "/etc/alloy/config.alloy",
      // Alloy listens on 127.0.0.1 by default: unreachable for Prometheus and the published port.
      `--server.http.listen-addr=0.0.0.0:${PORT}`,
      `--storage.path=${STORAGE}`,
      // No usage reports to Grafana Labs, like Grafana's GF_ANALYTICS_REPORTING_ENABLED=false.
      "--disable-reporting",
    ],
    // The image's default user is root, kept (as for Promtail) because the Docker socket is
    // root:docker 0660 and the host's docker group id is unknown here. Its own storage directory
    // /var/lib/alloy belongs to the unused `alloy` user with mode 0770, which root without
    // CAP_DAC_OVERRIDE cannot enter, so its data (read positions) lives on a volume of its own.
    volumes: [`alloy-data:${STORAGE}`, `${DOCKER_SOCKET}:${DOCKER_SOCKET}:ro`],
    healthcheck: bashHttpProbe(PORT, "/-/ready"),
    dependsOnHealthy: ["loki"],
    hostGateway: false,
    // Not booted here (its go.mod requires an AGPL module), so a read-only root is not proven for it.
    readOnlyRootFilesystem: false,
  },
  configMounts: [{ dir: "alloy", target: "/etc/alloy", apply: { action: "reload", successMetric: "alloy_config_last_load" } }],
  rulePacks: ["alloy"],
} satisfies ComponentDefinition;
