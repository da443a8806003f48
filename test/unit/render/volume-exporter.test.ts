import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { buildPlan } from "../../../scripts/stack/render/plan.ts";
import { stateOwners, VOLUME_MOUNTPOINT_REGEX } from "../../../scripts/stack/render/volume-exporter.ts";
import { modelOf } from "../../helpers/parse.ts";

interface ComposeService {
  image: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  network_mode?: string;
  pid?: string;
  read_only?: boolean;
  cap_drop?: string[];
  cap_add?: string[];
  user?: string;
  healthcheck?: { test: string[] };
}
interface ScrapeConfig {
  job_name: string;
  static_configs: Array<{ targets: string[] }>;
  metric_relabel_configs?: Array<{ source_labels: string[]; regex: string; target_label: string; replacement: string }>;
}

const bundleOf = (config: Parameters<typeof modelOf>[0]) => {
  const bundle = renderBundle(modelOf(config));
  return {
    services: (parse(bundle.get("compose.yaml")!) as { services: Record<string, ComposeService> }).services,
    jobs: bundle.has("prometheus/prometheus.yml") ? (parse(bundle.get("prometheus/prometheus.yml")!) as { scrape_configs: ScrapeConfig[] }).scrape_configs : [],
    ruleFiles: [...bundle.keys()].filter((path) => path.startsWith("prometheus/rules/")),
  };
};

describe("the volume exporter", () => {
  const { services, jobs, ruleFiles } = bundleOf({ components: { pushgateway: { enabled: true } } });
  const exporter = services["volume-exporter"]!;

  it("mounts every named volume of the other services read-only at /volumes/<service>/<volume>, and nothing else", () => {
    const expected = Object.entries(services)
      .filter(([name]) => name !== "volume-exporter")
      .flatMap(([name, service]) =>
        (service.volumes ?? []).filter((volume) => !/^[./]/.test(volume)).map((volume) => `${volume.split(":")[0]}:/volumes/${name}/${volume.split(":")[0]}:ro`),
      );
    expect(expected).toContain("prometheus-data:/volumes/prometheus/prometheus-data:ro");
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(exporter.volumes?.slice().sort()).toEqual(expected.sort());
  });

  it("is node-exporter's image with only the filesystem collector, limited to those mounts", () => {
    expect(exporter.image).toBe(services["node-exporter"]!.image);
    expect(exporter.command).toEqual(["--collector.disable-defaults", "--collector.filesystem", "--collector.filesystem.mount-points-include=^/volumes/", "--web.listen-address=:9100"]);
    expect(exporter.healthcheck?.test).toEqual(["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9100/metrics"]);
  });

  it("runs with least privilege: no published port, no host namespace, read-only root, no capabilities, a non-root user no other container has", () => {
    expect(exporter.ports).toBeUndefined();
    expect(exporter.network_mode).toBeUndefined();
    expect(exporter.pid).toBeUndefined();
    expect(exporter.read_only).toBe(true);
    expect(exporter.cap_drop).toEqual(["ALL"]);
    expect(exporter.cap_add).toBeUndefined();
    // A user of its own, not nobody (Prometheus's and Alertmanager's): it may read none of their files.
    expect(exporter.user).toBe("65533:65533");
  });

  it("is scraped on the stack network, each series labelled with the service and volume read back from its mount point", () => {
    const job = jobs.find((candidate) => candidate.job_name === "volume-exporter")!;
    expect(job.static_configs[0]!.targets).toEqual(["volume-exporter:9100"]);
    expect(job.metric_relabel_configs).toEqual([
      { source_labels: ["mountpoint"], regex: VOLUME_MOUNTPOINT_REGEX, target_label: "service", replacement: "$1" },
      { source_labels: ["mountpoint"], regex: VOLUME_MOUNTPOINT_REGEX, target_label: "volume", replacement: "$2" },
    ]);
    // Prometheus anchors the regex at both ends.
    const anchored = new RegExp(`^(?:${VOLUME_MOUNTPOINT_REGEX})$`);
    for (const mount of exporter.volumes!) {
      const [volume, path] = mount.split(":");
      const service = path!.split("/")[2];
      expect(anchored.exec(path!)?.slice(1)).toEqual([service, volume]);
    }
    expect(anchored.test("/volumes/prometheus/prometheus-data/wal")).toBe(false);
  });

  it("ships the volumes rule pack with it", () => {
    expect(ruleFiles).toContain("prometheus/rules/volumes.yml");
  });

  it("is not there without node-exporter or without Prometheus, nor its job or rules", () => {
    for (const components of [{ nodeExporter: { enabled: false } }, { prometheus: { enabled: false }, alertmanager: { enabled: false }, blackbox: { enabled: false } }]) {
      const off = bundleOf({ components });
      expect(Object.keys(off.services)).not.toContain("volume-exporter");
      expect(off.jobs.map((job) => job.job_name)).not.toContain("volume-exporter");
      expect(off.ruleFiles).not.toContain("prometheus/rules/volumes.yml");
    }
  });

  it("owns no state of its own: backup, restore and status leave its read-only mounts out", () => {
    const plan = buildPlan(modelOf({}));
    const exporterPlan = plan.services.find((service) => service.name === "volume-exporter")!;
    expect(exporterPlan.volumes.length).toBeGreaterThan(0);
    expect(stateOwners(plan).map((service) => service.name)).not.toContain("volume-exporter");
    expect(stateOwners(plan)).toHaveLength(plan.services.length - 1);
  });
});
