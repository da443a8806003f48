import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderPrometheusConfig } from "../../../scripts/stack/render/prometheus.ts";
import { modelOf } from "../../helpers/parse.ts";

interface ScrapeConfig {
  job_name: string;
  fallback_scrape_protocol?: string;
  static_configs: Array<{ targets: string[]; labels: Record<string, string> }>;
}

const scrapeConfigs = (config: Parameters<typeof modelOf>[0]): Map<string, ScrapeConfig> => {
  const file = parse(renderPrometheusConfig(modelOf(config))) as { scrape_configs: ScrapeConfig[] };
  return new Map(file.scrape_configs.map((job) => [job.job_name, job]));
};

describe("prometheus.yml scrape jobs", () => {
  const services = [
    { name: "api", url: "http://api:8080" },
    { name: "legacy", url: "http://legacy:9000", fallbackScrapeProtocol: "OpenMetricsText1.0.0" as const },
    { name: "strict", url: "http://strict:9000", fallbackScrapeProtocol: false as const },
  ];
  const jobs = scrapeConfigs({ services, exporters: { redis: [{ name: "cache", address: "redis:6379" }] } });

  it("parses a user service's metrics as the classic text format when it sends no usable Content-Type", () => {
    expect(jobs.get("api")?.fallback_scrape_protocol).toBe("PrometheusText0.0.4");
  });

  it("takes another fallback per service, or none when it is false", () => {
    expect(jobs.get("legacy")?.fallback_scrape_protocol).toBe("OpenMetricsText1.0.0");
    expect(jobs.get("strict")).toBeDefined();
    expect(jobs.get("strict")?.fallback_scrape_protocol).toBeUndefined();
  });

  it("sets no fallback for the stack's own components and exporters, whose client libraries send a Content-Type", () => {
    const ownJobs = [...jobs.values()].filter((job) => !services.some((service) => service.name === job.job_name));
    expect(ownJobs.map((job) => job.job_name)).toEqual(expect.arrayContaining(["prometheus", "node-exporter", "redis-exporter-cache"]));
    for (const job of ownJobs) expect(job.fallback_scrape_protocol, job.job_name).toBeUndefined();
  });

  it("scrapes node-exporter through the host gateway while it is in the host's network, on its configured port", () => {
    expect(jobs.get("node-exporter")?.static_configs[0]?.targets).toEqual(["host.docker.internal:9100"]);
    const moved = scrapeConfigs({ components: { nodeExporter: { port: 9200 } } });
    expect(moved.get("node-exporter")?.static_configs[0]?.targets).toEqual(["host.docker.internal:9200"]);
    const bridged = scrapeConfigs({ components: { nodeExporter: { hostNetwork: false, port: 9200 } } });
    expect(bridged.get("node-exporter")?.static_configs[0]?.targets).toEqual(["node-exporter:9100"]);
  });
});
