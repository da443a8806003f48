/**
 * Nothing the Collector acknowledged is lost (issue 11, item 6): in every golden bundle, each exporter
 * to a backend queues on disk and retries through a restart, the queue's directory is on the
 * Collector's own volume, and nothing batches in memory in front of the queues.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { GOLDEN_CONFIG_NAMES, loadGoldenModel } from "../../helpers/golden-configs.ts";

interface Exporter {
  sending_queue?: { enabled?: boolean; storage?: string; num_consumers?: number };
  retry_on_failure?: { enabled?: boolean; max_elapsed_time?: string };
}
interface CollectorConfig {
  extensions: Record<string, { directory?: string }>;
  exporters: Record<string, Exporter>;
  service: { extensions: string[]; pipelines: Record<string, { processors: string[]; exporters: string[] }> };
}

/** Writes to the Collector's own log: nothing to deliver, so nothing to keep. */
const NOT_A_BACKEND = "debug";
/** Long enough to ride out a backend's or the Collector's restart. */
const MIN_RETRY_MINUTES = 5;

/** The golden bundles that run the Collector, parsed. */
const BUNDLES = (
  await Promise.all(
    GOLDEN_CONFIG_NAMES.map(async (name) => {
      const bundle = renderBundle(await loadGoldenModel(name));
      const config = bundle.get("otelcol/config.yaml");
      const compose = parse(bundle.get("compose.yaml")!) as { services: Record<string, { volumes?: string[] }> };
      return config === undefined ? [] : [{ name, config: parse(config) as CollectorConfig, collectorVolumes: compose.services["otel-collector"]?.volumes ?? [] }];
    }),
  )
).flat();

const minutes = (duration: string) => {
  const match = /^(\d+)(s|m|h)$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]) / { s: 60, m: 1, h: 1 / 60 }[match[2] as "s" | "m" | "h"];
};

it("some golden bundles run the Collector", () => {
  expect(BUNDLES.map(({ name }) => name)).toContain("default");
});

describe.for(BUNDLES)("the Collector's delivery in the $name bundle", ({ config, collectorVolumes }) => {
  it("queues every backend's exporter on disk and retries long enough for a restart", () => {
    const backends = Object.entries(config.exporters).filter(([id]) => id !== NOT_A_BACKEND);
    expect(backends.length).toBeGreaterThan(0);
    for (const [id, exporter] of backends) {
      const storage = exporter.sending_queue?.storage;
      expect(exporter.sending_queue?.enabled, id).toBe(true);
      expect(storage && storage.split("/")[0], id).toBe("file_storage");
      expect(config.service.extensions, id).toContain(storage);
      expect(exporter.retry_on_failure?.enabled, id).toBe(true);
      expect(minutes(exporter.retry_on_failure!.max_elapsed_time!), id).toBeGreaterThanOrEqual(MIN_RETRY_MINUTES);
    }
  });

  it("sends to Prometheus with one sender, so that a backlog arrives in order", () => {
    const prometheus = config.exporters["otlp_http/prometheus"];
    if (prometheus) expect(prometheus.sending_queue?.num_consumers).toBe(1);
  });

  it("keeps the queues on the Collector's volume", () => {
    const storages = Object.entries(config.extensions).filter(([id]) => id.split("/")[0] === "file_storage");
    const mounts = collectorVolumes.filter((volume) => !volume.startsWith(".")).map((volume) => volume.split(":")[1]!);
    expect(storages.length).toBeGreaterThan(0);
    for (const [id, storage] of storages) expect(mounts.some((target) => storage.directory?.startsWith(`${target}/`)), id).toBe(true);
  });

  it("batches nothing in front of the queues, where acknowledged data would sit in memory", () => {
    for (const [id, pipeline] of Object.entries(config.service.pipelines)) expect(pipeline.processors.filter((p) => p.split("/")[0] === "batch"), id).toEqual([]);
  });
});
