/** Jaeger v2 (a Collector distribution): OTLP in, Badger storage on a volume, query UI/API, health. */
import type { StackModel } from "../config/model.ts";
import { durationToHours } from "../syntax/durations.ts";
import { renderTemplate } from "./templates.ts";

export function renderJaegerConfig(model: StackModel): string {
  return renderTemplate("provisioning/jaeger/config.yaml", {
    spanTtl: `${durationToHours(model.config.components.jaeger.retention)}h`,
  });
}
