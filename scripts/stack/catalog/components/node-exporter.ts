import { z } from "zod";
import { wgetProbe, type ComponentDefinition } from "../component-definition.ts";

/** Its companion that measures the stack's own volumes (render/volume-exporter.ts); a reserved job name. */
export const VOLUME_EXPORTER_SERVICE = "volume-exporter";

export const nodeExporter = {
  title: "node-exporter",
  image: { repository: "prom/node-exporter", tag: "v1.12.1" },
  service: "node-exporter",
  port: 9100,
  selfMetricsPort: 9100,
  memory: "64m",
  enabledByDefault: true,
  settings: {
    hostNetwork: z
      .boolean()
      .default(true)
      .describe(
        "Run in the host's network namespace (network_mode: host), so the Host dashboard's network panels show the host's interfaces. Nothing is published then: node-exporter itself listens on bindAddress:port and on the Docker bridge gateway (host.docker.internal:port), where Prometheus scrapes it; every container on this host can reach that address, and a host firewall must let the Docker bridges reach the port. false: it stays on the stack's network, published like the other components, and its network panels show only the container's own eth0.",
      ),
  },
  extraPorts: [],
  requires: [],
  container: {
    command: ["--path.rootfs=/host"],
    // No `rslave`: it fails where / is not a shared mount (containers, some VMs); without it only
    // filesystems mounted after start are missed until a restart.
    volumes: ["/:/host:ro"],
    healthcheck: wgetProbe(9100, "/metrics"),
    dependsOnHealthy: [],
    hostGateway: false,
    readOnlyRootFilesystem: true,
    pidHost: true,
  },
  configMounts: [],
  // volumes: the volume exporter runs with node-exporter (render/volume-exporter.ts).
  rulePacks: ["host", "volumes"],
} satisfies ComponentDefinition;
