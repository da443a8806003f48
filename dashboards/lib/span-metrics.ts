/**
 * Span metrics from the Collector's span_metrics connector, as Prometheus 3 stores them after OTLP
 * translation. Checked end to end against otelcol-contrib 0.161.0 and Prometheus 3.16.0: the
 * connector's `traces.span.metrics.calls` (a monotonic sum) and `traces.span.metrics.duration`
 * (unit "ms", the connector's default) get these names; the span attributes become the labels
 * `service_name`, `span_name`, `span_kind` (SPAN_KIND_SERVER, ...) and `status_code`
 * (STATUS_CODE_ERROR, ...), and exemplars carry `trace_id`.
 */
export const SPAN_CALLS = "traces_span_metrics_calls_total";
export const SPAN_DURATION = "traces_span_metrics_duration_milliseconds";
