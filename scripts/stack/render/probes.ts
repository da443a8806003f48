/** Blackbox probe targets: one per declared health endpoint, each with the module that checks it. */
import type { ServiceConfig } from "../config/schema.ts";

export interface ProbeTarget {
  service: string;
  endpoint: "live" | "ready" | "detailed";
  module: string;
  url: string;
}

export const PROBE_MODULES = {
  http2xx: "http_2xx",
  healthJson: "http_health_json",
} as const;

export function probeTargets(services: readonly ServiceConfig[]): ProbeTarget[] {
  return services.flatMap((service) =>
    (["live", "ready", "detailed"] as const).flatMap((endpoint) => {
      const path = service.health[endpoint];
      if (!path) return [];
      return [
        {
          service: service.name,
          endpoint,
          module: endpoint === "detailed" ? PROBE_MODULES.healthJson : PROBE_MODULES.http2xx,
          url: joinUrl(service.url, path),
        },
      ];
    }),
  );
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/$/, "")}${path}`;
}
