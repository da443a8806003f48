/**
 * Component CLIs used as validators. Each is the pinned component's own binary. A buildable tool is
 * found in the build cache (built by `npm run tools`), else on PATH, else run from the pinned image
 * through Docker. An image-only tool is never built here — its Go module is AGPL or pulls one in
 * (README, "Third-party components and licences") — so it comes only from PATH (a user may have installed it) or the image.
 */
import { IMAGE_PINS, type ImageName } from "./components.ts";

const COMPOSE_VERSION = "v5.7.0";
/** The GitHub Actions linter `npm test` runs on the workflows (MIT). */
export const ACTIONLINT_VERSION = "v1.7.12";

export interface ToolSpec {
  binary: string;
  /** The image that contains the binary, for the Docker fallback; null when there is none (Compose). */
  image: ImageName | null;
  /** Set when the binary is not the image's entrypoint. */
  entrypoint?: string;
  /** The pinned version of the component the tool comes from. */
  version: string;
  /** How the testbed builds it (into `<cacheName>-<version>`), or null for an image-only tool. */
  build: { cacheName: string } | null;
}

export const TOOLS = {
  promtool: { binary: "promtool", image: "prometheus", entrypoint: "/bin/promtool", version: IMAGE_PINS.prometheus.tag, build: { cacheName: "prometheus" } },
  amtool: { binary: "amtool", image: "alertmanager", entrypoint: "/bin/amtool", version: IMAGE_PINS.alertmanager.tag, build: { cacheName: "alertmanager" } },
  loki: { binary: "loki", image: "loki", version: IMAGE_PINS.loki.tag, build: null },
  promtail: { binary: "promtail", image: "promtail", version: IMAGE_PINS.promtail.tag, build: null },
  alloy: { binary: "alloy", image: "alloy", version: IMAGE_PINS.alloy.tag, build: null },
  otelcol: { binary: "otelcol-contrib", image: "otelCollector", version: IMAGE_PINS.otelCollector.tag, build: { cacheName: "otelcol-contrib" } },
  jaeger: { binary: "jaeger", image: "jaeger", version: IMAGE_PINS.jaeger.tag, build: { cacheName: "jaeger" } },
  blackbox: { binary: "blackbox_exporter", image: "blackbox", version: IMAGE_PINS.blackbox.tag, build: { cacheName: "blackbox_exporter" } },
  k6: { binary: "k6", image: "k6", version: IMAGE_PINS.k6.tag, build: null },
  caddy: { binary: "caddy", image: "proxy", entrypoint: "/usr/bin/caddy", version: IMAGE_PINS.proxy.tag, build: { cacheName: "caddy" } },
  compose: { binary: "docker-compose", image: null, version: COMPOSE_VERSION, build: { cacheName: "docker-compose" } },
  actionlint: { binary: "actionlint", image: null, version: ACTIONLINT_VERSION, build: { cacheName: "actionlint" } },
} as const satisfies Record<string, ToolSpec>;

export type ToolName = keyof typeof TOOLS;

/** Tools `npm run tools` may build: the type keeps an image-only tool from ever reaching go-build.sh. */
export type BuildableToolName = { [Name in ToolName]: (typeof TOOLS)[Name]["build"] extends null ? never : Name }[ToolName];

export function isBuildable(name: ToolName): name is BuildableToolName {
  return TOOLS[name].build !== null;
}

export const BUILDABLE_TOOLS = (Object.keys(TOOLS) as ToolName[]).filter(isBuildable);
