import { describe, expect, it } from "vitest";
import { issuesOf, tryParse } from "../../helpers/parse.ts";

const chat = { name: "chat", webhook: { url: "http://hook:80" } };
const issueRows = (issues: ReadonlyArray<{ path: string; message: string }>) => issues.map((issue) => [issue.path, issue.message]);

describe("alerting cross-field rules", () => {
  it("every receiver reference must name a defined receiver", () => {
    const issues = issuesOf({
      alerting: {
        receivers: [chat],
        paging: ["pager"],
        chat: ["chat", "slack"],
        categories: { security: { receivers: ["sec"] } },
        heartbeat: { receiver: "deadman" },
      },
    });
    expect(issueRows(issues)).toEqual([
      ["alerting.paging[0]", 'receiver "pager" is not defined'],
      ["alerting.chat[1]", 'receiver "slack" is not defined'],
      ["alerting.categories.security.receivers[0]", 'receiver "sec" is not defined'],
      ["alerting.heartbeat.receiver", 'receiver "deadman" is not defined'],
    ]);
    expect(issues[0]?.hint).toBe("defined receivers: chat");
  });

  it("the stack's own receiver names are reserved", () => {
    const issues = issuesOf({ alerting: { receivers: [{ ...chat, name: "blackhole" }] } });
    expect(issueRows(issues)).toEqual([["alerting.receivers[0].name", '"blackhole" is a receiver the stack defines itself']]);
  });

  it("routes may name the business-hours intervals without declaring them", () => {
    const outcome = tryParse({
      alerting: { receivers: [chat], routes: [{ receiver: "chat", activeTimeIntervals: ["business-hours"], muteTimeIntervals: ["out-of-hours"] }] },
    });
    expect(outcome.ok).toBe(true);
  });

  it("the business-hours names are reserved", () => {
    const issues = issuesOf({ alerting: { timeIntervals: [{ name: "out-of-hours" }] } });
    expect(issues).toEqual([
      {
        path: "alerting.timeIntervals[0].name",
        message: '"out-of-hours" is defined by alerting.businessHours',
        hint: "set alerting.businessHours instead, or give this interval another name",
      },
    ]);
  });

  it("rejects weekday ranges that wrap around Sunday and backwards times", () => {
    const issues = issuesOf({
      alerting: {
        businessHours: { weekdays: ["monday:sunday"], start: "18:00", end: "09:00" },
        timeIntervals: [{ name: "nights", times: [{ start: "22:00", end: "06:00" }], location: "Europe/Berlin" }],
      },
    });
    expect(issueRows(issues)).toEqual([
      ["alerting.businessHours.weekdays[0]", '"monday:sunday" runs backwards: Alertmanager\'s weeks run from sunday to saturday'],
      ["alerting.businessHours.end", "ends at 09:00, not after its start 18:00"],
      ["alerting.timeIntervals[0].times[0].end", "ends at 06:00, not after its start 22:00"],
    ]);
  });

  it("rejects time zones Go does not load, which it names case-sensitively", () => {
    const issues = issuesOf({
      alerting: {
        businessHours: { location: "Mars/Olympus" },
        timeIntervals: [{ name: "nights", location: "europe/paris" }],
      },
    });
    expect(issues).toEqual([
      expect.objectContaining({ path: "alerting.businessHours.location", message: '"Mars/Olympus" is not a time zone Go knows (names are case-sensitive)' }),
      expect.objectContaining({ path: "alerting.timeIntervals[0].location", hint: 'did you mean "Europe/Paris"?' }),
    ]);
    for (const location of ["UTC", "Local", "US/Eastern", "Asia/Calcutta", "Etc/GMT+5"])
      expect(issueRows(issuesOf({ alerting: { businessHours: { location, weekdays: ["sunday:saturday"], start: "00:00", end: "24:00" } } })), location).toEqual([
        ["alerting.businessHours", "covers the whole week, so there are no out-of-hours"],
      ]);
  });

  it("rejects business hours that leave no time out of hours", () => {
    const issues = issuesOf({ alerting: { businessHours: { weekdays: ["sunday:saturday"], start: "00:00", end: "24:00" } } });
    expect(issueRows(issues)).toEqual([["alerting.businessHours", "covers the whole week, so there are no out-of-hours"]]);
  });

  it("rejects a clock time Alertmanager cannot parse", () => {
    const issues = issuesOf({ alerting: { businessHours: { end: "24:30" } } });
    expect(issues.map((issue) => issue.path)).toEqual(["alerting.businessHours.end"]);
  });
});
