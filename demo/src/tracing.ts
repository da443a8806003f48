/**
 * Traces over OTLP/HTTP with the OpenTelemetry SDK and manual spans (no auto-instrumentation).
 * Export failures reach the SDK's global error handler; they are logged at most once a minute and
 * feed the health report, and the service keeps serving whether or not a collector listens.
 */
import type { Tracer } from "@opentelemetry/api";
import { setGlobalErrorHandler } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import type { Logger } from "./log.ts";
import { RateLimitedReporter } from "./rate-limited.ts";

export const EXPORT_ERROR_INTERVAL_MS = 60_000;

export interface Tracing {
  tracer: Tracer;
  exportFailures: RateLimitedReporter;
  /** Flushes buffered spans, giving up after `timeoutMs` (an absent collector must not stall exit). */
  shutdown(timeoutMs: number): Promise<void>;
}

export function startTracing(options: { serviceName: string; serviceVersion: string; endpoint: string; logger: Logger }): Tracing {
  const exportFailures = new RateLimitedReporter(EXPORT_ERROR_INTERVAL_MS, (message, suppressed) =>
    options.logger.warn(`span export to ${options.endpoint} failed: ${message}`, { suppressed_since_last_report: suppressed }),
  );
  setGlobalErrorHandler((error) => exportFailures.failure(error instanceof Error ? error.message : String(error)));

  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName, [ATTR_SERVICE_VERSION]: options.serviceVersion }));
  const exporter = new OTLPTraceExporter({ url: options.endpoint, timeoutMillis: 5_000 });
  const provider = new TracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 2_000, exportTimeoutMillis: 5_000 })],
  });

  return {
    tracer: provider.getTracer(options.serviceName, options.serviceVersion),
    exportFailures,
    async shutdown(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([provider.shutdown().catch((error: unknown) => exportFailures.failure(String(error))), deadline]);
      clearTimeout(timer);
    },
  };
}
