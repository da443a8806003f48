import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { StackConfigInput } from "../../../scripts/stack/index.ts";
import { renderAlertmanagerFiles } from "../../../scripts/stack/render/alertmanager.ts";
import { modelOf } from "../../helpers/parse.ts";

interface AlertmanagerYaml {
  templates: string[];
  route: { receiver: string; routes: Array<{ receiver: string; matchers?: string[]; active_time_intervals?: string[] }> };
  receivers: Array<Record<string, Array<Record<string, unknown>>> & { name: string }>;
  inhibit_rules?: unknown[];
  time_intervals: Array<{ name: string }>;
}

function filesOf(config: StackConfigInput) {
  return new Map(renderAlertmanagerFiles(modelOf(config), "alertmanager/alertmanager.yml"));
}

const receivers = [
  { name: "pager", pagerduty: { routingKeyEnv: "PD_KEY" } },
  { name: "genie", opsgenie: { apiKeyEnv: "OG_KEY" } },
  { name: "slack", slack: { webhookUrlEnv: "SLACK_URL" } },
  { name: "mail", email: { to: ["sre@example.com"], from: "am@example.com", smarthost: "smtp.example.com:587" } },
];

describe("alertmanager files", () => {
  it("writes the config and both templates next to it, and loads the templates relative to the config", () => {
    const files = filesOf({});
    expect([...files.keys()]).toEqual([
      "alertmanager/alertmanager.yml",
      "alertmanager/templates/notifications.tmpl",
      "alertmanager/templates/links.tmpl",
    ]);
    expect((parse(files.get("alertmanager/alertmanager.yml")!) as AlertmanagerYaml).templates).toEqual(["templates/*.tmpl"]);
  });

  it("every receiver's messages come from the obs templates", () => {
    const config = parse(filesOf({ alerting: { receivers } }).get("alertmanager/alertmanager.yml")!) as AlertmanagerYaml;
    const byName = new Map(config.receivers.map((receiver) => [receiver.name, receiver]));
    expect(byName.get("slack")?.slack_configs?.[0]).toMatchObject({
      fallback: '{{ template "obs.title" . }}',
      title: '{{ template "obs.slack.title" . }}',
      text: '{{ template "obs.slack.text" . }}',
      send_resolved: true,
    });
    expect(byName.get("mail")?.email_configs?.[0]).toMatchObject({
      headers: { Subject: '{{ template "obs.email.subject" . }}' },
      html: '{{ template "obs.email.html" . }}',
    });
    expect(byName.get("pager")?.pagerduty_configs?.[0]).toMatchObject({ description: '{{ template "obs.title" . }}' });
    expect(byName.get("genie")?.opsgenie_configs?.[0]).toMatchObject({ message: '{{ template "obs.title" . }}' });
  });

  it("renders the routing tree in order with the business-hours intervals", () => {
    const config = parse(
      filesOf({ alerting: { receivers, severities: { warning: { businessHoursOnly: true } } } }).get("alertmanager/alertmanager.yml")!,
    ) as AlertmanagerYaml;
    expect(config.route.routes.map((route) => [route.receiver, route.matchers])).toEqual([
      ["obs-stack-smoke", ['obs_stack_smoke="true"']],
      ["blackhole", ['alertname="Watchdog"']],
      ["pager", ['severity="critical"']],
      ["genie", ['severity="critical"']],
      ["slack", ['severity="warning"']],
      ["mail", ['severity="warning"']],
      ["blackhole", ['severity="info"']],
    ]);
    expect(config.route.routes[4]?.active_time_intervals).toEqual(["business-hours"]);
    expect(config.time_intervals.map((interval) => interval.name)).toEqual(["business-hours", "out-of-hours"]);
    expect(config.inhibit_rules).toHaveLength(3);
  });
});

describe("notification links", () => {
  const links = (config: StackConfigInput) => filesOf(config).get("alertmanager/templates/links.tmpl")!;

  it("point at the published Grafana port and show runbook paths by default", () => {
    const text = links({ components: { grafana: { port: 3300 } } });
    expect(text).toContain('"grafana" "http://127.0.0.1:3300" "runbooks" ""');
    expect(text).toContain('{{ define "obs.slack.links" }}');
    expect(text).toContain('{{ define "obs.email.links" }}');
  });

  it("use the configured addresses, normalising slashes so paths join cleanly", () => {
    const text = links({ alerting: { links: { grafana: "https://grafana.example.com/", runbooks: "https://git.example.com/obs/blob/main" } } });
    expect(text).toContain('"grafana" "https://grafana.example.com" "runbooks" "https://git.example.com/obs/blob/main/"');
  });

  it("go through the proxy when it serves the stack: the loopback port is no use off this host", () => {
    const text = links({ components: { proxy: { enabled: true, hostname: "obs.example.com" } } });
    expect(text).toContain('"grafana" "https://obs.example.com:8443/grafana"');
  });

  it("leave dashboards out when Grafana does not run", () => {
    expect(links({ components: { grafana: { enabled: false } } })).toContain('"grafana" ""');
  });
});
