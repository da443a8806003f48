import { describe, expect, it } from "vitest";
import { SUMMARY_MARKER, type SyntheticsSummary } from "../../../k6/lib/summary.ts";
import { extractSummary, summaryOutcomes } from "../../../scripts/stack/checks/k6-summary.ts";

const summary: SyntheticsSummary = {
  thresholds: [
    { metric: "checks{synthetic:home}", expression: "rate==1", ok: true, values: { rate: 1, passes: 2, fails: 0 } },
    { metric: "http_req_duration{synthetic:home}", expression: "max>=0", ok: true, values: { max: 12.5, avg: 8 } },
    { metric: "checks{synthetic:slow}", expression: "rate==1", ok: true, values: { rate: 1, passes: 1, fails: 0 } },
    { metric: "http_req_duration{synthetic:slow}", expression: "max<500", ok: false, values: { max: 3012.4, avg: 3012.4 } },
    { metric: "http_req_duration", expression: "p(95)<300", ok: false, values: { "p(95)": 412.3 } },
    { metric: "http_req_failed", expression: "rate<0.01", ok: true, values: { rate: 0.002 } },
  ],
  checks: [
    { group: "home", name: "home: status is 2xx", passes: 1, fails: 0 },
    { group: "home", name: 'home: body contains "hello"', passes: 1, fails: 0 },
    { group: "slow", name: "slow: status is 2xx", passes: 1, fails: 0 },
    { group: "body", name: 'body: json status == "ok"', passes: 0, fails: 1 },
  ],
};

describe("k6 summary → outcomes", () => {
  it("reads the summary between its markers in k6's stdout", () => {
    const stdout = `progress line\n${SUMMARY_MARKER}${JSON.stringify(summary)}${SUMMARY_MARKER}\n`;
    expect(extractSummary(stdout)).toEqual(summary);
    expect(extractSummary("no summary here")).toBeUndefined();
  });

  it("names the check and the measured value of every failure", () => {
    const outcomes = summaryOutcomes("shop", summary, ["home", "slow", "body", "never"]);
    const byName = Object.fromEntries(outcomes.map((o) => [o.name, o]));
    expect(byName["shop/home"]).toMatchObject({ status: "pass", message: "2 assertion(s) passed, max 13ms" });
    expect(byName["shop/slow"]).toMatchObject({ status: "fail", message: "threshold http_req_duration{synthetic:slow} max<500 breached: measured max 3.01s" });
    expect(byName["shop/body"]).toMatchObject({ status: "fail", message: 'json status == "ok" failed 1 of 1' });
    expect(byName["shop/never"]?.status).toBe("fail");
    expect(byName["shop/threshold: http_req_duration p(95)<300"]).toMatchObject({ status: "fail", message: expect.stringContaining("measured p(95) 412ms") });
    expect(byName["shop/threshold: http_req_failed rate<0.01"]).toMatchObject({ status: "pass", message: "held (measured rate 0.0020)" });
  });

  it("under a load profile, single failed requests are reported but the thresholds decide", () => {
    const outcomes = summaryOutcomes("shop", summary, ["body"], "peak");
    expect(outcomes.find((o) => o.name === "shop/body")).toMatchObject({ status: "pass", message: expect.stringContaining("the profile's thresholds decide") });
    expect(outcomes.find((o) => o.name === "shop/profile peak: http_req_duration p(95)<300")?.status).toBe("fail");
  });
});
