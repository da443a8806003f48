import { describe, expect, it } from "vitest";
import { busyBetween, parseProcStat, sumSamples } from "../../../bench/exposition.ts";

const collector = `# HELP otelcol_exporter_queue_size Current size of the retry queue (in batches)
# TYPE otelcol_exporter_queue_size gauge
otelcol_exporter_queue_size{data_type="logs",exporter="otlp_http/loki",otel_scope_name="go.opentelemetry.io/collector/exporter/exporterhelper"} 120
otelcol_exporter_queue_size{data_type="traces",exporter="otlp_grpc/jaeger",otel_scope_name="x"} 0
# TYPE otelcol_receiver_accepted_log_records_total counter
otelcol_receiver_accepted_log_records_total{receiver="otlp",transport="grpc"} 1.5e+06
otelcol_receiver_accepted_log_records_total{receiver="otlp",transport="http"} 10
otelcol_receiver_accepted_log_records_total{receiver="fluent_forward",transport="tcp"} 999
otelcol_receiver_accepted_spans{receiver="otlp",note="a \\"quoted\\" value, with a comma"} 7
`;

describe("sumSamples", () => {
  it("sums the samples whose labels include the ones asked, with or without a counter's _total", () => {
    expect(sumSamples(collector, "otelcol_receiver_accepted_log_records", { receiver: "otlp" })).toBe(1_500_010);
    expect(sumSamples(collector, "otelcol_receiver_accepted_log_records")).toBe(1_501_009);
    expect(sumSamples(collector, "otelcol_exporter_queue_size", { exporter: "otlp_http/loki" })).toBe(120);
    expect(sumSamples(collector, "otelcol_receiver_accepted_spans", { note: 'a "quoted" value, with a comma' })).toBe(7);
  });

  it("answers undefined when no sample matched, so a missing gauge is not read as 0", () => {
    expect(sumSamples(collector, "otelcol_exporter_queue_size", { exporter: "otlp_http/prometheus" })).toBeUndefined();
    expect(sumSamples(collector, "otelcol_exporter_queue")).toBeUndefined();
  });
});

describe("host CPU", () => {
  it("counts idle and I/O wait as not busy, and guest time once", () => {
    const first = parseProcStat("cpu  100 0 50 800 50 0 0 0 20 0\ncpu0 1 2 3 4 5 6 7 8\n");
    expect(first).toEqual({ total: 1000, idle: 850 });
    const last = parseProcStat("cpu  250 0 100 900 50 0 0 0 90 0\n");
    expect(busyBetween(first, last)).toBeCloseTo(200 / 300);
  });

  it("refuses a file without the aggregate line", () => {
    expect(() => parseProcStat("cpu0 1 2 3 4 5\n")).toThrow(/no aggregate cpu line/);
  });
});
