/**
 * The notification templates rendered by the pinned amtool (`amtool template render`) with a firing
 * and a resolved notification, for the everything bundle (configured links) and the minimal bundle
 * (no Grafana, no runbook base URL). Skipped locally without amtool; CI=true requires it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderBundle } from "../../scripts/stack/bundle/bundle.ts";
import { resolveTool } from "../../scripts/stack/runtime/tool-resolver.ts";
import { writeBundle } from "../../scripts/stack/write/bundle-writer.ts";
import { loadGoldenModel, type GoldenConfigName } from "../helpers/golden-configs.ts";

const IN_CI = process.env.CI === "true";

const serviceDown = {
  labels: { alertname: "ServiceDown", severity: "critical", category: "availability", service: "checkout", instance: "api:8080" },
  annotations: {
    summary: "checkout is down",
    description: "Prometheus cannot scrape checkout (api:8080) for 2 minutes.",
    runbook_url: "docs/runbooks/service-down.md",
    dashboard: "/d/service-overview",
  },
  generatorURL: "http://prometheus:9090/graph",
};

function notification(status: "firing" | "resolved", alerts: Array<{ status: "firing" | "resolved"; fingerprint: string }>) {
  return {
    receiver: "chat",
    status,
    alerts: alerts.map((alert) => ({
      ...serviceDown,
      ...alert,
      startsAt: "2026-03-02T09:15:00Z",
      endsAt: alert.status === "resolved" ? "2026-03-02T09:40:00Z" : "0001-01-01T00:00:00Z",
    })),
    groupLabels: { alertname: "ServiceDown", service: "checkout", severity: "critical" },
    commonLabels: { alertname: "ServiceDown", severity: "critical", category: "availability", service: "checkout" },
    commonAnnotations: {},
    externalURL: "http://alertmanager:9093",
  };
}

const FIRING = notification("firing", [
  { status: "firing", fingerprint: "a" },
  { status: "firing", fingerprint: "b" },
]);
const RESOLVED = notification("resolved", [{ status: "resolved", fingerprint: "a" }]);

async function amtoolPath(): Promise<string | undefined> {
  const resolved = resolveTool("amtool", await loadGoldenModel("minimal"));
  if (resolved?.kind === "binary") return resolved.path;
  if (IN_CI) throw new Error("CI=true requires amtool (run `npm run tools`)");
  return undefined;
}

const amtool = await amtoolPath();
/** Why the templates cannot be rendered here; never set under CI=true (amtoolPath throws there). */
const missingAmtool = amtool ? undefined : "amtool is not installed here (run `npm run tools`)";
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function renderer(config: GoldenConfigName) {
  const dir = mkdtempSync(join(tmpdir(), `obs-stack-templates-${config}-`));
  dirs.push(dir);
  writeBundle(dir, renderBundle(await loadGoldenModel(config)));
  return (template: string, data: object, type: "text" | "html" = "text") => {
    const dataFile = join(dir, "data.json");
    writeFileSync(dataFile, JSON.stringify(data));
    const run = spawnSync(
      amtool!,
      [
        "template",
        "render",
        `--template.glob=${join(dir, "alertmanager", "templates", "*.tmpl")}`,
        `--template.text={{ template "${template}" . }}`,
        `--template.data=${dataFile}`,
        `--template.type=${type}`,
      ],
      { encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    return run.stdout;
  };
}

describe.skipIf(missingAmtool !== undefined)(`notification templates (amtool template render)${missingAmtool ? ` — skipped: ${missingAmtool}` : ""}`, () => {
  describe("with Grafana and runbook links configured (everything bundle)", async () => {
    const render = await renderer("everything");

    it("Slack title and email subject count firing alerts, then say resolved", () => {
      for (const template of ["obs.slack.title", "obs.email.subject", "obs.title"]) {
        expect(render(template, FIRING)).toBe("[FIRING:2] ServiceDown · checkout (critical)");
        expect(render(template, RESOLVED)).toBe("[RESOLVED] ServiceDown · checkout (critical)");
      }
    });

    it("Slack text carries summary, description, severity, service and both links for each alert", () => {
      const text = render("obs.slack.text", FIRING);
      expect(text.match(/:red_circle: \*checkout is down\*/g)).toHaveLength(2);
      expect(text).toContain("Prometheus cannot scrape checkout (api:8080) for 2 minutes.");
      expect(text).toContain("_ServiceDown · critical · service checkout · since 2026-03-02 09:15 UTC_");
      expect(text).toContain("<https://grafana.example.com/d/service-overview|Dashboard>");
      expect(text).toContain("<https://github.com/acme/obs/blob/main/docs/runbooks/service-down.md|Runbook>");
    });

    it("Slack text marks resolved alerts with the time they resolved", () => {
      const text = render("obs.slack.text", RESOLVED);
      expect(text).toContain(":large_green_circle: *Resolved:* checkout is down");
      expect(text).toContain("resolved 2026-03-02 09:40 UTC");
      expect(text).not.toContain(":red_circle:");
    });

    it("email HTML lists each alert with its state and links", () => {
      const html = render("obs.email.html", FIRING, "html");
      expect(html).toContain("<h2 style=\"margin: 0 0 16px; font-size: 18px;\">[FIRING:2] ServiceDown · checkout (critical)</h2>");
      expect(html.match(/FIRING · ServiceDown · critical · service checkout/g)).toHaveLength(2);
      expect(html).toContain('<a href="https://grafana.example.com/d/service-overview">Dashboard</a>');
      expect(html).toContain('<a href="https://github.com/acme/obs/blob/main/docs/runbooks/service-down.md">Runbook</a>');
      const resolved = render("obs.email.html", RESOLVED, "html");
      expect(resolved).toContain("RESOLVED · ServiceDown");
      expect(resolved).toContain("resolved 2026-03-02 09:40:00 UTC");
    });

    it("email HTML escapes alert text", () => {
      const hostile = notification("firing", [{ status: "firing", fingerprint: "a" }]);
      hostile.alerts[0]!.annotations = { ...serviceDown.annotations, summary: "<script>alert(1)</script>" };
      expect(render("obs.email.html", hostile, "html")).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    });
  });

  describe("without Grafana or a runbook base URL (minimal bundle)", async () => {
    const render = await renderer("minimal");

    it("shows the runbook path and no dashboard link", () => {
      const text = render("obs.slack.text", FIRING);
      expect(text).toContain("Runbook: `docs/runbooks/service-down.md`");
      expect(text).not.toContain("Dashboard");
      expect(render("obs.email.html", FIRING, "html")).toContain("Runbook: <code>docs/runbooks/service-down.md</code>");
    });
  });
});
