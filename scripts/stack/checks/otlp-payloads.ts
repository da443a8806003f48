/** Minimal OTLP/HTTP JSON payloads the smoke checks send through the Collector. */
const SMOKE_RESOURCE = { attributes: [{ key: "service.name", value: { stringValue: "obs-stack-smoke" } }] };

const nowNanos = () => BigInt(Date.now()) * 1_000_000n;

export function otlpSpan(traceId: string, name: string) {
  const end = nowNanos();
  const span = { traceId, spanId: traceId.slice(0, 16), name, kind: 2, startTimeUnixNano: (end - 5_000_000n).toString(), endTimeUnixNano: end.toString() };
  return { resourceSpans: [{ resource: SMOKE_RESOURCE, scopeSpans: [{ spans: [span] }] }] };
}

export function otlpGauge(name: string, attributes: Record<string, string>) {
  const point = {
    asDouble: 1,
    timeUnixNano: nowNanos().toString(),
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } })),
  };
  return { resourceMetrics: [{ resource: SMOKE_RESOURCE, scopeMetrics: [{ metrics: [{ name, gauge: { dataPoints: [point] } }] }] }] };
}
