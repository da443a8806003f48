/**
 * The e2e stack served through the proxy (test/e2e/exposure.test.ts): the components the proxy
 * routes to, on the testbed's stand-ins (or the official images with E2E_IMAGES=official), and
 * nothing else, so one boot stays short. The proxy listens on loopback here; a real deployment
 * sets its bindAddress, which is the only difference Caddy sees.
 */
import { readFileSync } from "node:fs";
import { defineStack } from "obs-stack";
import { IMAGE_SET, OVERLAY_FILE } from "./helpers.ts";

const images: Record<string, string> = IMAGE_SET === "official" ? {} : (JSON.parse(readFileSync(OVERLAY_FILE, "utf8")) as { images: Record<string, string> }).images;
// Grafana, booted only with the official images, shows that its route reaches its own login.
const grafana = IMAGE_SET === "official";

export const PROXY_PORT = 18443;

export default defineStack({
  project: { name: "obs-e2e" },
  images,
  components: {
    proxy: { enabled: true, port: PROXY_PORT, hostname: "localhost" },
    grafana: { enabled: grafana },
    loki: { enabled: false },
    nodeExporter: { enabled: false },
    cadvisor: { enabled: false },
    blackbox: { enabled: false },
  },
  // Without Loki no container logs are shipped: the Collector takes OTLP, which this suite sends.
});
