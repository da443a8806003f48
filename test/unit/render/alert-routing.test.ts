import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { StackConfigInput } from "../../../scripts/stack/index.ts";
import { BLACKHOLE_RECEIVER, SMOKE_RECEIVER } from "../../../scripts/stack/config/receiver-names.ts";
import { businessHoursIntervals } from "../../../scripts/stack/config/time-intervals.ts";
import {
  inhibitRules,
  receiverGroups,
  resolveReceivers,
  routeTestCases,
  routingTree,
} from "../../../scripts/stack/render/alert-routing.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { modelOf } from "../../helpers/parse.ts";

const RECEIVERS = [
  { name: "pager", pagerduty: { routingKeyEnv: "PD_KEY" } },
  { name: "genie", opsgenie: { apiKeyEnv: "OG_KEY" } },
  { name: "slack", slack: { webhookUrlEnv: "SLACK_URL" } },
  { name: "mail", email: { to: ["sre@example.com"], from: "am@example.com", smarthost: "smtp.example.com:587" } },
  { name: "hook", webhook: { url: "http://hook:8080/" } },
];

function treeOf(alerting: StackConfigInput["alerting"]) {
  const model = modelOf({ alerting });
  return { model, tree: routingTree(model, model.timings) };
}

describe("receiver groups", () => {
  it("pagerduty and opsgenie page; slack, email and webhook chat", () => {
    expect(receiverGroups(modelOf({ alerting: { receivers: RECEIVERS } }).config.alerting)).toEqual({
      paging: ["pager", "genie"],
      chat: ["slack", "mail", "hook"],
    });
  });

  it("explicit lists replace the derivation", () => {
    const { alerting } = modelOf({ alerting: { receivers: RECEIVERS, paging: ["pager"], chat: ["slack"] } }).config;
    expect(receiverGroups(alerting)).toEqual({ paging: ["pager"], chat: ["slack"] });
  });
});

describe("default routing tree", () => {
  it("critical pages, warning chats, info reaches nobody, an alert without severity goes to the default receiver", () => {
    const { tree } = treeOf({ receivers: RECEIVERS.slice(0, 3), defaultReceiver: "slack" });
    expect(resolveReceivers(tree, { alertname: "X", severity: "critical" })).toEqual(["pager", "genie"]);
    expect(resolveReceivers(tree, { alertname: "X", severity: "warning" })).toEqual(["slack"]);
    expect(resolveReceivers(tree, { alertname: "X", severity: "info" })).toEqual([BLACKHOLE_RECEIVER]);
    expect(resolveReceivers(tree, { alertname: "X" })).toEqual(["slack"]);
  });

  it("critical alerts reach chat when nothing pages", () => {
    const { tree } = treeOf({ receivers: [RECEIVERS[2]!] });
    expect(resolveReceivers(tree, { severity: "critical" })).toEqual(["slack"]);
  });

  it("without receivers every alert is dropped", () => {
    const { tree } = treeOf({});
    for (const severity of ["critical", "warning", "info"]) expect(resolveReceivers(tree, { severity })).toEqual([BLACKHOLE_RECEIVER]);
  });

  it("the smoke route comes first and the Watchdog second, before any user route", () => {
    const { tree } = treeOf({ receivers: RECEIVERS, routes: [{ receiver: "slack" }], heartbeat: { receiver: "hook" } });
    expect(tree.routes.slice(0, 3).map((r) => r.receiver)).toEqual([SMOKE_RECEIVER, "hook", "slack"]);
    expect(resolveReceivers(tree, { obs_stack_smoke: "true", severity: "critical" })).toEqual([SMOKE_RECEIVER]);
    expect(resolveReceivers(tree, { alertname: "Watchdog", severity: "none" })).toEqual(["hook"]);
    expect(tree.routes[1]).toMatchObject({ groupWait: "0s", groupInterval: "1m", repeatInterval: "1m" });
  });

  it("drops the Watchdog when no heartbeat receiver is set", () => {
    const { tree } = treeOf({ receivers: RECEIVERS, defaultReceiver: "slack" });
    expect(resolveReceivers(tree, { alertname: "Watchdog", severity: "none" })).toEqual([BLACKHOLE_RECEIVER]);
  });

  it("user routes win; continue hands the alert on to the defaults", () => {
    const { tree } = treeOf({
      receivers: RECEIVERS,
      routes: [
        { severity: "critical", matchers: ['team="db"'], receiver: "mail" },
        { severity: "critical", matchers: ['team="web"'], receiver: "hook", continue: true },
      ],
    });
    expect(resolveReceivers(tree, { severity: "critical", team: "db" })).toEqual(["mail"]);
    expect(resolveReceivers(tree, { severity: "critical", team: "web" })).toEqual(["hook", "pager", "genie"]);
  });

  it("category routes come before the severities and continue to them only when asked", () => {
    const { tree } = treeOf({
      receivers: RECEIVERS,
      categories: { security: { receivers: ["mail", "hook"] }, compliance: { receivers: ["mail"], continue: true } },
    });
    expect(resolveReceivers(tree, { severity: "critical", category: "security" })).toEqual(["mail", "hook"]);
    expect(resolveReceivers(tree, { severity: "warning", category: "compliance" })).toEqual(["mail", "slack", "mail", "hook"]);
  });

  it("per-severity timing, business hours and notify groups", () => {
    const { tree } = treeOf({
      receivers: RECEIVERS,
      chat: ["slack"],
      severities: { warning: { businessHoursOnly: true, repeatInterval: "12h" }, info: { notify: ["chat"] } },
    });
    const warning = tree.routes.filter((r) => r.matchers.includes('severity="warning"'));
    expect(warning).toEqual([
      expect.objectContaining({ receiver: "slack", activeTimeIntervals: ["business-hours"], repeatInterval: "12h", groupWait: "30s", continue: false }),
    ]);
    const critical = tree.routes.filter((r) => r.matchers.includes('severity="critical"'));
    expect(critical.map((r) => [r.receiver, r.continue, r.groupWait, r.repeatInterval])).toEqual([
      ["pager", true, "10s", "1h"],
      ["genie", false, "10s", "1h"],
    ]);
    expect(resolveReceivers(tree, { severity: "info" })).toEqual(["slack"]);
  });

  it("the root keeps the alerting-wide grouping", () => {
    const { tree } = treeOf({ groupBy: ["alertname"], groupWait: "1m", repeatInterval: "2h" });
    expect(tree).toMatchObject({ receiver: BLACKHOLE_RECEIVER, groupBy: ["alertname"], groupWait: "1m", groupInterval: "5m", repeatInterval: "2h" });
  });
});

describe("inhibition", () => {
  it("VolumeFull mutes VolumeSpaceLow of its volume; critical mutes warning of the same alert and service; ServiceDown mutes the rest of its service", () => {
    const { alerting } = modelOf({}).config;
    expect(inhibitRules(alerting).map(({ why: _, ...rule }) => rule)).toEqual([
      { sourceMatchers: ['alertname="VolumeFull"'], targetMatchers: ['alertname="VolumeSpaceLow"'], equal: ["volume", "service"] },
      { sourceMatchers: ['severity="critical"'], targetMatchers: ['severity="warning"'], equal: ["alertname", "service"] },
      { sourceMatchers: ['alertname="ServiceDown"'], targetMatchers: ['alertname!="ServiceDown"'], equal: ["service"] },
    ]);
  });

  it("each switchable rule can be switched off", () => {
    const { alerting } = modelOf({ alerting: { inhibitWarningWhenCritical: false, inhibitServiceAlertsWhenDown: false } }).config;
    expect(inhibitRules(alerting).map((rule) => rule.sourceMatchers)).toEqual([['alertname="VolumeFull"']]);
  });

  it("the volume rule names the alerts of rules/volumes.yml, whose series carry the labels it compares", () => {
    const pack = parse(readFileSync(join(REPO_ROOT, "rules", "volumes.yml"), "utf8")) as { groups: Array<{ rules: Array<{ alert: string; annotations: { summary: string } }> }> };
    const summaries = Object.fromEntries(pack.groups.flatMap((group) => group.rules).map((rule) => [rule.alert, rule.annotations.summary]));
    const [rule] = inhibitRules(modelOf({}).config.alerting);
    for (const matcher of [...rule!.sourceMatchers, ...rule!.targetMatchers]) {
      const alert = JSON.parse(matcher.replace(/^alertname=/, "")) as string;
      for (const label of rule!.equal) expect(summaries[alert], alert).toContain(`$labels.${label}`);
    }
  });
});

describe("business hours", () => {
  const hoursOf = (businessHours: NonNullable<StackConfigInput["alerting"]>["businessHours"]) =>
    businessHoursIntervals(modelOf({ alerting: { businessHours } }).config.alerting.businessHours);

  it("defaults to Monday to Friday, 09:00 to 17:00 UTC, with the rest of the week out of hours", () => {
    expect(hoursOf({})).toEqual([
      { name: "business-hours", entries: [{ weekdays: ["monday:friday"], times: [{ start: "09:00", end: "17:00" }], location: "UTC" }] },
      {
        name: "out-of-hours",
        entries: [
          { weekdays: ["monday:friday"], times: [{ start: "00:00", end: "09:00" }, { start: "17:00", end: "24:00" }], location: "UTC" },
          { weekdays: ["sunday", "saturday"], times: [], location: "UTC" },
        ],
      },
    ]);
  });

  it("whole working days leave only the other days out of hours, grouped into ranges", () => {
    const [, outOfHours] = hoursOf({ weekdays: ["tuesday", "wednesday"], start: "00:00", end: "24:00", location: "Europe/Berlin" });
    expect(outOfHours!.entries).toEqual([{ weekdays: ["sunday:monday", "thursday:saturday"], times: [], location: "Europe/Berlin" }]);
  });
});

describe("route test cases", () => {
  it("cover smoke, Watchdog, each user route, each category, each severity and the fallback", () => {
    const model = modelOf({
      alerting: {
        receivers: RECEIVERS,
        defaultReceiver: "hook",
        categories: { security: { receivers: ["mail"] } },
        routes: [{ receiver: "mail", matchers: ['service=~"api|web"', 'env!="dev"'] }],
      },
    });
    expect(routeTestCases(model).map(({ name, labels, receivers }) => [name, labels, receivers])).toEqual([
      ["smoke test alert", { alertname: "ObsStackSmokeTest", obs_stack_smoke: "true", severity: "critical" }, [SMOKE_RECEIVER]],
      ["Watchdog heartbeat", { alertname: "Watchdog", severity: "none", category: "heartbeat" }, [BLACKHOLE_RECEIVER]],
      ["alerting.routes[0]", { alertname: "ObsStackRouteTest", service: "api" }, ["mail"]],
      ["category security", { alertname: "ObsStackRouteTest", severity: "critical", category: "security" }, ["mail"]],
      ["severity critical", { alertname: "ObsStackRouteTest", severity: "critical" }, ["pager", "genie"]],
      ["severity warning", { alertname: "ObsStackRouteTest", severity: "warning" }, ["slack", "mail", "hook"]],
      ["severity info", { alertname: "ObsStackRouteTest", severity: "info" }, [BLACKHOLE_RECEIVER]],
      ["alert without severity", { alertname: "ObsStackRouteTest" }, ["hook"]],
    ]);
  });

  it("a user route shadowed by an earlier one expects the earlier receiver", () => {
    const model = modelOf({
      alerting: { receivers: RECEIVERS, routes: [{ receiver: "slack", severity: "warning" }, { receiver: "mail", severity: "warning" }] },
    });
    expect(routeTestCases(model).find((c) => c.name === "alerting.routes[1]")?.receivers).toEqual(["slack"]);
  });

  it("skips a user route no sample alert can match", () => {
    const model = modelOf({ alerting: { receivers: RECEIVERS, routes: [{ receiver: "mail", matchers: ['id=~"[0-9]{6}"'] }] } });
    expect(routeTestCases(model).map((c) => c.name)).not.toContain("alerting.routes[0]");
  });
});
