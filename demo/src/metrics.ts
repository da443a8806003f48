/**
 * Prometheus metrics with prom-client. A registry's output format is fixed, and only OpenMetrics
 * registries print exemplars, so two registries serve the two formats from the same request
 * metrics. Each has its own default metrics: rendering OpenMetrics renames counters in place
 * (drops `_total`), which would corrupt the classic output if those objects were shared.
 */
import { collectDefaultMetrics, Gauge, Histogram, type OpenMetricsContentType, Registry } from "prom-client";
import { ACTIVE_REQUESTS, REQUEST_DURATION, type RequestLabel, wantsOpenMetrics } from "./metrics-contract.ts";

export interface Observation {
  method: string;
  route: string;
  status: number;
  seconds: number;
  traceId?: string;
}

export interface DemoMetrics {
  observe(observation: Observation): void;
  /** Counts a request as active; call the returned function when it ends. */
  requestStarted(): () => void;
  render(accept: string | undefined): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(): DemoMetrics {
  const classic = new Registry();
  const openMetrics = new Registry<OpenMetricsContentType>();
  openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const registers = [classic, openMetrics];
  for (const register of registers) collectDefaultMetrics({ register });

  // prom-client types exemplar labels with the metric's own label names, hence `trace_id` here.
  const duration = new Histogram<RequestLabel | "trace_id">({
    name: REQUEST_DURATION.name,
    help: REQUEST_DURATION.help,
    labelNames: REQUEST_DURATION.labels,
    buckets: [...REQUEST_DURATION.buckets],
    enableExemplars: true,
    registers: [openMetrics],
  });
  // prom-client refuses exemplar-enabled metrics in a classic registry's constructor option, but
  // a classic registry renders them fine (without exemplars) once registered.
  classic.registerMetric(duration);
  const active = new Gauge({ name: ACTIVE_REQUESTS.name, help: ACTIVE_REQUESTS.help, registers });

  return {
    observe({ method, route, status, seconds, traceId }) {
      duration.observe({
        labels: { http_request_method: method, http_route: route, http_response_status_code: status },
        value: seconds,
        ...(traceId ? { exemplarLabels: { trace_id: traceId } } : {}),
      });
    },
    requestStarted() {
      active.inc();
      return () => active.dec();
    },
    async render(accept) {
      const registry = wantsOpenMetrics(accept) ? openMetrics : classic;
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
