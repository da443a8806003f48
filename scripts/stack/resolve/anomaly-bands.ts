/**
 * The series anomaly detection records: the anomaly rules record them, the service-overview
 * dashboard draws each signal inside its band, so both must spell them alike.
 */
export const ANOMALY_BASELINE = "1d";

export const ANOMALY_SIGNALS = {
  rate: "service:http_requests:rate5m",
  latency: "service:http_request_duration_seconds:p95_5m",
} as const;

/** A statistic of a signal over the baseline, e.g. its average or the upper edge of its band. */
export const baselineStat = (series: string, name: string) => `${series}:${name}_${ANOMALY_BASELINE}`;

/** Each signal with its ±3σ band. */
export const ANOMALY_BANDS = [ANOMALY_SIGNALS.rate, ANOMALY_SIGNALS.latency].map((series) => ({
  series,
  upper: baselineStat(series, "upper_band"),
  lower: baselineStat(series, "lower_band"),
}));
