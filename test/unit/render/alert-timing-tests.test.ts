import { describe, expect, it } from "vitest";
import { alertTimingTests } from "../../../scripts/stack/render/alert-timing-tests.ts";

const expAlert = { exp_labels: { severity: "critical" }, exp_annotations: { summary: "down" } };
const spec = { name: "ServiceDown api", alertname: "ServiceDown", series: 'up{job="api"}', expAlert };

describe("alert timing tests", () => {
  it.for([
    // interval, evaluation, for → evaluations checked silent during the blip, pending-before-fire, firing
    { interval: "15s", evaluationInterval: "15s", for: "30s", blip: ["15s", "30s", "45s"], blipValues: "1 0 1x5", pending: "30s", fires: "45s" },
    { interval: "30s", evaluationInterval: "15s", for: "45s", blip: ["15s", "30s", "45s", "1m", "1m15s"], blipValues: "1 0 1x4", pending: "1m", fires: "1m15s" },
    { interval: "30s", evaluationInterval: "15s", for: "3m30s", blip: ["15s", "30s", "45s", "1m", "4m"], blipValues: "1 0 1x10", pending: "3m45s", fires: "4m" },
    // A `for` that is not a multiple of the evaluation interval fires at the next evaluation.
    { interval: "20s", evaluationInterval: "15s", for: "40s", blip: ["15s", "30s", "1m15s"], blipValues: "1 0 1x6", pending: "1m", fires: "1m15s" },
  ])("interval $interval, evaluation $evaluationInterval, for $for", ({ interval, evaluationInterval, for: holdFor, blip, blipValues, pending, fires }) => {
    const [silent, firing] = alertTimingTests({ ...spec, interval, evaluationInterval, for: holdFor });
    expect(silent!.input_series).toEqual([{ series: spec.series, values: blipValues }]);
    expect(silent!.alert_rule_test).toEqual(blip.map((eval_time) => ({ eval_time, alertname: "ServiceDown", exp_alerts: [] })));
    expect(firing!.alert_rule_test).toEqual([
      { eval_time: pending, alertname: "ServiceDown", exp_alerts: [] },
      { eval_time: fires, alertname: "ServiceDown", exp_alerts: [expAlert] },
    ]);
  });
});
