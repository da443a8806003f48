/** Jaeger v2 (a Collector distribution): OTLP in, Badger storage on a volume, query UI/API, health. */
import { componentBasePath } from "../config/addresses.ts";
import type { StackModel } from "../config/model.ts";
import { durationToHours } from "../syntax/durations.ts";
import { renderTemplate } from "./templates.ts";

export function renderJaegerConfig(model: StackModel): string {
  return renderTemplate("provisioning/jaeger/config.yaml", {
    spanTtl: `${durationToHours(model.config.components.jaeger.retention)}h`,
    // Absent at the root: Jaeger's default, "/".
    basePath: componentBasePath(model.config, "jaeger") || null,
  });
}
