import { wgetProbe, type ComponentDefinition } from "../component-definition.ts";

export const cadvisor = {
  title: "cAdvisor",
  image: { repository: "ghcr.io/google/cadvisor", tag: "v0.60.6" },
  service: "cadvisor",
  port: 8080,
  selfMetricsPort: 8080,
  // docs/benchmarks.md "Footprint": 16 MiB idle with 12 containers; at least 128m as it grows with the host's containers.
  memory: "128m",
  enabledByDefault: true,
  settings: {},
  extraPorts: [],
  requires: [],
  container: {
    command: ["--docker_only=true", "--housekeeping_interval=15s", "--store_container_labels=false"],
    volumes: ["/:/rootfs:ro", "/var/run:/var/run:ro", "/sys:/sys:ro", "/var/lib/docker/:/var/lib/docker:ro", "/dev/disk/:/dev/disk:ro"],
    healthcheck: wgetProbe(8080, "/healthz"),
    dependsOnHealthy: [],
    hostGateway: false,
    readOnlyRootFilesystem: true,
    // Not privileged: read-only host mounts plus /dev/kmsg for OOM events. Reading /dev/kmsg needs
    // CAP_SYSLOG where kernel.dmesg_restrict=1 (Ubuntu's default), so that one capability is kept.
    devices: ["/dev/kmsg"],
    capAdd: ["SYSLOG"],
  },
  configMounts: [],
  rulePacks: ["containers"],
} satisfies ComponentDefinition;
