/**
 * Component CLIs used as validators. Each is the pinned component's own binary: found in the build
 * cache (exact pinned version), else on PATH, else run from the pinned image through Docker.
 */
import { IMAGE_PINS, type ImageName } from "./components.ts";

export const COMPOSE_VERSION = "v5.7.0";

export interface ToolSpec {
  binary: string;
  /** The image that contains the binary, for the Docker fallback; null when there is none (Compose, logql-check). */
  image: ImageName | null;
  /** Set when the binary is not the image's entrypoint. */
  entrypoint?: string;
  /** Cache directory name the testbed builds it into: `<cacheName>-<version>`. */
  cacheName: string;
  version: string;
}

export const TOOLS = {
  promtool: { binary: "promtool", image: "prometheus", entrypoint: "/bin/promtool", cacheName: "prometheus", version: IMAGE_PINS.prometheus.tag },
  amtool: { binary: "amtool", image: "alertmanager", entrypoint: "/bin/amtool", cacheName: "alertmanager", version: IMAGE_PINS.alertmanager.tag },
  loki: { binary: "loki", image: "loki", cacheName: "loki", version: IMAGE_PINS.loki.tag },
  promtail: { binary: "promtail", image: "promtail", cacheName: "promtail", version: IMAGE_PINS.promtail.tag },
  alloy: { binary: "alloy", image: "alloy", cacheName: "alloy", version: IMAGE_PINS.alloy.tag },
  otelcol: { binary: "otelcol-contrib", image: "otelCollector", cacheName: "otelcol-contrib", version: IMAGE_PINS.otelCollector.tag },
  jaeger: { binary: "jaeger", image: "jaeger", cacheName: "jaeger", version: IMAGE_PINS.jaeger.tag },
  blackbox: { binary: "blackbox_exporter", image: "blackbox", cacheName: "blackbox_exporter", version: IMAGE_PINS.blackbox.tag },
  k6: { binary: "k6", image: "k6", cacheName: "k6", version: IMAGE_PINS.k6.tag },
  compose: { binary: "docker-compose", image: null, cacheName: "docker-compose", version: COMPOSE_VERSION },
  // Our LogQL parse checker (scripts/tools/logql-check), compiled against the pinned Loki's parser.
  logqlCheck: { binary: "logql-check", image: null, cacheName: "logql-check", version: IMAGE_PINS.loki.tag },
} as const satisfies Record<string, ToolSpec>;

export type ToolName = keyof typeof TOOLS;
