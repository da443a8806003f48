import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { stackVolumeSpace, VOLUME_FULL_RATIO, VOLUME_LOW_RATIO, volumeSpace, volumeState, type FilesystemSample } from "../../../scripts/stack/checks/volume-space.ts";
import { buildPlan } from "../../../scripts/stack/render/plan.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { modelOf } from "../../helpers/parse.ts";

const fs = (mountpoint: string, availBytes: number, sizeBytes: number, fstype = "ext4", device = "/dev/vda"): FilesystemSample => ({ mountpoint, device, fstype, availBytes, sizeBytes, at: 1_700_000_000 });
const HOST = [fs("/", 500, 1000), fs("/var/lib/docker", 500, 1000), fs("/var/lib/docker-other", 1, 1000), fs("/boot", 10, 100)];
const path = (volume: string) => `/var/lib/docker/volumes/obs_${volume}/_data`;

describe("a volume's free space", () => {
  it("is that of the host filesystem holding a plain directory volume: the longest mount prefix of its path", () => {
    const [space] = volumeSpace([{ service: "prometheus", volume: "prometheus-data", docker: { hostPath: path("prometheus-data"), ownFilesystem: false } }], HOST);
    expect(space).toEqual({
      service: "prometheus",
      volume: "prometheus-data",
      state: "ok",
      freeBytes: 500,
      sizeBytes: 1000,
      filesystem: { mountpoint: "/var/lib/docker", device: "/dev/vda", fstype: "ext4" },
      measuredAt: 1_700_000_000,
    });
  });

  it("matches a prefix only at a path separator", () => {
    // "/var/lib/docker-other" is no prefix of "/var/lib/dockerx/...": only "/" holds it.
    const [elsewhere] = volumeSpace([{ service: "x", volume: "x-data", docker: { hostPath: "/var/lib/dockerx/volumes/x/_data", ownFilesystem: false } }], HOST);
    expect(elsewhere?.filesystem?.mountpoint).toBe("/");
  });

  it("is the volume exporter's measure of a volume that is a filesystem of its own, never the disk below", () => {
    const mounted = { ...fs("/volumes/loki/loki-data", 50, 1000, "tmpfs", "tmpfs"), volume: { service: "loki", volume: "loki-data" } };
    const other = { ...fs("/volumes/grafana/grafana-data", 900, 1000, "tmpfs", "tmpfs"), volume: { service: "grafana", volume: "grafana-data" } };
    const [space] = volumeSpace([{ service: "loki", volume: "loki-data", docker: { hostPath: path("loki-data"), ownFilesystem: true } }], [...HOST, other, mounted]);
    expect(space).toEqual({
      service: "loki",
      volume: "loki-data",
      state: "low",
      freeBytes: 50,
      sizeBytes: 1000,
      filesystem: { mountpoint: "/volumes/loki/loki-data", device: "tmpfs", fstype: "tmpfs" },
      measuredAt: 1_700_000_000,
    });
  });

  it("is unknown, with the reason, for a volume of its own the volume exporter has no sample of", () => {
    const [space] = volumeSpace([{ service: "loki", volume: "loki-data", docker: { hostPath: path("loki-data"), ownFilesystem: true } }], HOST);
    expect(space).toMatchObject({ state: "unknown", freeBytes: null, filesystem: null, reason: expect.stringMatching(/filesystem of its own.*volume-exporter has no sample/) });
  });

  it("measures a directory volume on the host filesystem, not on the volume exporter's mount of it", () => {
    const mounted = { ...fs("/volumes/prometheus/prometheus-data", 1, 1000), volume: { service: "prometheus", volume: "prometheus-data" } };
    const [space] = volumeSpace([{ service: "prometheus", volume: "prometheus-data", docker: { hostPath: path("prometheus-data"), ownFilesystem: false } }], [mounted, ...HOST]);
    expect(space).toMatchObject({ state: "ok", freeBytes: 500, filesystem: { mountpoint: "/var/lib/docker" } });
  });

  it("is unknown for a volume that does not exist", () => {
    expect(volumeSpace([{ service: "loki", volume: "loki-data", docker: null }], HOST)[0]).toMatchObject({ state: "unknown", reason: expect.stringMatching(/npm run up/) });
  });

  it("is low under 10% free, at HostDiskSpaceLow's and VolumeSpaceLow's threshold, and full under 2%, at VolumeFull's", () => {
    expect([volumeState(100, 1000), volumeState(99, 1000), volumeState(20, 1000), volumeState(19, 1000), volumeState(0, 0)]).toEqual(["ok", "low", "low", "full", "full"]);
    const alert = (pack: string, name: string) => {
      const groups = (parse(readFileSync(join(REPO_ROOT, "rules", `${pack}.yml`), "utf8")) as { groups: Array<{ rules: Array<{ alert?: string; expr: string }> }> }).groups;
      return groups.flatMap((group) => group.rules).find((rule) => rule.alert === name)!.expr;
    };
    const threshold = (ratio: number) => new RegExp(`< ${ratio.toFixed(2).replace(".", "\\.")}\\s`);
    expect(alert("host", "HostDiskSpaceLow")).toMatch(threshold(VOLUME_LOW_RATIO));
    expect(alert("volumes", "VolumeSpaceLow")).toMatch(threshold(VOLUME_LOW_RATIO));
    expect(alert("volumes", "VolumeFull")).toMatch(threshold(VOLUME_FULL_RATIO));
  });
});

describe("status's volume space", () => {
  it("says unknown for every volume, with the reason, when Prometheus does not answer", async () => {
    // Port 1 (tcpmux): nothing listens there, so the connection is refused at once.
    const model = modelOf({ project: { name: "obs-unit-status" }, components: { prometheus: { port: 1 } } });
    const spaces = await stackVolumeSpace(model, buildPlan(model));
    expect(spaces.map((space) => space.volume).sort()).toEqual(["alertmanager-data", "grafana-data", "jaeger-data", "loki-data", "otel-collector-data", "prometheus-data"]);
    for (const space of spaces) expect(space).toMatchObject({ state: "unknown", reason: expect.stringMatching(/^Prometheus did not answer \(GET http:\/\/127\.0\.0\.1:1\//) });
  });

  it("says unknown without asking anything when node-exporter is off", async () => {
    const model = modelOf({ components: { nodeExporter: { enabled: false } } });
    const spaces = await stackVolumeSpace(model, buildPlan(model));
    expect(spaces.length).toBeGreaterThan(0);
    for (const space of spaces) expect(space.reason).toMatch(/one of them is off in the config/);
  });
});
