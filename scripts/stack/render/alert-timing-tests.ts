/**
 * promtool tests of an alert's timing on a 0/1 series sampled every `interval` (a scrape's `up`, a
 * probe's `probe_success`): a failure lasting one sample fires nothing at any evaluation, and a
 * lasting failure fires exactly `for` after the first evaluation that sees it — the two halves of
 * the latency budget's promise (see resolve/alert-latency.ts).
 */
import { durationToSeconds, formatDuration } from "../syntax/durations.ts";

export interface TimingTestSpec {
  /** Test name prefix, e.g. "ServiceDown checkout". */
  name: string;
  alertname: string;
  /** The series selector, with the labels the expected alert carries. */
  series: string;
  interval: string;
  evaluationInterval: string;
  for: string;
  expAlert: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> };
}

export function alertTimingTests(spec: TimingTestSpec) {
  const interval = durationToSeconds(spec.interval);
  const evaluation = durationToSeconds(spec.evaluationInterval);
  // Prometheus fires at the first evaluation at least `for` after the alert turned pending.
  const hold = Math.ceil(durationToSeconds(spec.for) / evaluation) * evaluation;
  // The first failed sample is at `interval`; the first evaluation at or after it turns the alert pending.
  const pendingAt = Math.ceil(interval / evaluation) * evaluation;
  const samples = Math.ceil((pendingAt + hold + evaluation) / interval) + 1;
  // The failed sample is what evaluations see until the next sample, at 2 × interval: every evaluation
  // up to then, and the one at which a lasting failure fires, must find nothing firing.
  const whileVisible = Array.from({ length: Math.floor((2 * interval) / evaluation) }, (_, i) => (i + 1) * evaluation);
  const evaluations = [...new Set([...whileVisible, pendingAt + hold])].sort((a, b) => a - b);
  const at = (seconds: number, expAlerts: unknown[]) => ({ eval_time: formatDuration(seconds), alertname: spec.alertname, exp_alerts: expAlerts });
  return [
    {
      name: `${spec.name}: failing for one ${spec.interval} sample fires nothing`,
      interval: spec.interval,
      input_series: [{ series: spec.series, values: `1 0 1x${samples}` }],
      alert_rule_test: evaluations.map((seconds) => at(seconds, [])),
    },
    {
      name: `${spec.name}: failing from ${spec.interval} on fires ${formatDuration(hold)} after the first evaluation that sees it`,
      interval: spec.interval,
      input_series: [{ series: spec.series, values: `1 0x${samples}` }],
      alert_rule_test: [at(pendingAt + hold - evaluation, []), at(pendingAt + hold, [spec.expAlert])],
    },
  ];
}
