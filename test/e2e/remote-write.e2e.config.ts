/**
 * The remote-write test's stack (remote-write.test.ts): only Prometheus, scraping itself every 5s,
 * remote-writing to the Thanos receivers the test runs on the host (reached through the Docker
 * bridge gateway), with Grafana's Prometheus datasource pointed at the test's Thanos Query.
 */
import { readFileSync } from "node:fs";
import { defineStack } from "obs-stack";
import { COMPONENT_NAMES } from "../../scripts/stack/catalog/components.ts";
import { HOST_GATEWAY } from "../../scripts/stack/render/compose-services.ts";

/** The Thanos ports on the host: each receiver's remote-write, gRPC, HTTP and Cap'n Proto port, then Query's. */
export const THANOS_PORTS = {
  remoteWrite: [19491, 19492, 19493],
  grpc: [19501, 19502, 19503],
  http: [19511, 19512, 19513],
  capnproto: [19521, 19522, 19523],
  queryHttp: 19530,
  queryGrpc: 19531,
} as const;

export const SCRAPE_INTERVAL_SECONDS = 5;

const official = process.env.E2E_IMAGES === "official";
const images = official
  ? {}
  : { prometheus: (JSON.parse(readFileSync(new URL("./.testbed-images.json", import.meta.url), "utf8")) as { images: Record<string, string> }).images.prometheus };

export default defineStack({
  project: { name: "obs-e2e" },
  images,
  components: {
    ...Object.fromEntries(COMPONENT_NAMES.map((name) => [name, { enabled: false }])),
    prometheus: { enabled: true, scrapeInterval: `${SCRAPE_INTERVAL_SECONDS}s` },
  },
  metrics: {
    remoteWrite: [
      {
        name: "thanos",
        // The first receiver takes the writes and replicates them to all three (replication factor 3).
        url: `http://${HOST_GATEWAY}:${THANOS_PORTS.remoteWrite[0]}/api/v1/receive`,
        queryUrl: `http://${HOST_GATEWAY}:${THANOS_PORTS.queryHttp}`,
        // Retry a refused or unreachable receiver quickly, so catching up after its restart takes seconds.
        queue: { maxBackoff: "2s" },
      },
    ],
  },
});
