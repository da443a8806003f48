/** OpenTelemetry Collector: OTLP in; traces → Jaeger, metrics → Prometheus (OTLP), logs → Loki (OTLP). */
import type { StackModel } from "../config/model.ts";
import { renderTemplate } from "./templates.ts";

export const COLLECTOR_HEALTH_PORT = 13133;

export function renderCollectorConfig(model: StackModel): string {
  const { enabled } = model;
  return renderTemplate("provisioning/otelcol/config.yaml", {
    healthPort: COLLECTOR_HEALTH_PORT,
    jaeger: enabled.jaeger ? "jaeger:4317" : null,
    prometheus: enabled.prometheus ? "http://prometheus:9090/api/v1/otlp" : null,
    loki: enabled.loki ? "http://loki:3100/otlp" : null,
    // Span metrics (RED per operation) only make sense when traces arrive and metrics have a home.
    spanMetrics: enabled.prometheus,
  });
}
