import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDashboards, dashboardQueries } from "../../../dashboards/build.ts";
import { DASHBOARD_SOURCES } from "../../../dashboards/index.ts";
import { renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { RULES_DIR } from "../../../scripts/stack/render/rule-packs.ts";
import type { ResolvedStack } from "../../../scripts/stack/resolve/resolve-stack.ts";
import { GOLDEN_CONFIG_NAMES, loadGoldenModel } from "../../helpers/golden-configs.ts";
import { modelOf } from "../../helpers/parse.ts";
import { alertDashboardLinks, dashboardProblems, linkProblem } from "./dashboard-lint.ts";
import { type Dashboard, dashboardSchema } from "./grafana-dashboard-schema.ts";

const DASHBOARDS_DIR = "grafana/dashboards/";

interface RenderedStack {
  model: ResolvedStack;
  bundle: Map<string, string>;
  files: Array<{ path: string; json: unknown }>;
  shipped: Set<string>;
}

async function renderStack(name: (typeof GOLDEN_CONFIG_NAMES)[number]): Promise<RenderedStack> {
  const model = await loadGoldenModel(name);
  const bundle = renderBundle(model);
  const files = [...bundle].filter(([path]) => path.startsWith(DASHBOARDS_DIR)).map(([path, text]) => ({ path, json: JSON.parse(text) as unknown }));
  return { model, bundle, files, shipped: new Set(files.map((file) => (file.json as { uid: string }).uid)) };
}

function parseDashboard(json: unknown): Dashboard {
  const result = dashboardSchema.safeParse(json);
  if (!result.success) throw new Error(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
  return result.data;
}

/** Every target and variable query in the JSON, as "uid/panel/refId: text" (or "uid/$var: query"). */
function queriesInJson(dashboard: Dashboard): string[] {
  const targets = dashboard.panels.flatMap((panel) =>
    "targets" in panel ? panel.targets.map((target) => `${dashboard.uid}/${panel.title}/${target.refId}: ${"expr" in target ? target.expr : target.service}`) : [],
  );
  const variables = dashboard.templating.list.flatMap((variable) => (variable.type === "query" ? [`${dashboard.uid}/$${variable.name}: ${variable.query}`] : []));
  return [...targets, ...variables].sort();
}

describe.each(GOLDEN_CONFIG_NAMES)("dashboards of the %s bundle", async (name) => {
  const stack = await renderStack(name);

  it("match the schema of the Grafana dashboard JSON they use", () => {
    for (const file of stack.files) expect(() => parseDashboard(file.json), file.path).not.toThrow();
  });

  it("are named after their uids, which are unique", () => {
    for (const file of stack.files) expect(file.path).toBe(`${DASHBOARDS_DIR}${(file.json as { uid: string }).uid}.json`);
    expect(stack.shipped.size).toBe(stack.files.length);
  });

  it("keep the structural rules: ids, grid, datasources, refIds, variables, links", () => {
    const problems = stack.files.flatMap((file) => dashboardProblems(parseDashboard(file.json), stack.shipped));
    expect(problems).toEqual([]);
  });

  it("ship the dashboard every alert of the bundle links to", () => {
    const ruleFiles = [...stack.bundle].filter(([path]) => /^prometheus\/rules\/[^/]+\.yml$/.test(path));
    const links = ruleFiles.flatMap(([path, text]) => alertDashboardLinks(text).map((link) => ({ ...link, path })));
    if (!stack.model.enabled.grafana) return expect(stack.files).toEqual([]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect(link.url, `${link.path}: ${link.alert}`).toMatch(/^\/d\/[a-z0-9-]+$/);
      expect(linkProblem(link.url, stack.shipped), `${link.path}: ${link.alert}`).toEqual([]);
    }
  });

  it("list every panel target and variable query, each once, with a reason wherever no data is expected", () => {
    const listed = dashboardQueries(stack.model);
    const fromList = listed
      .map((entry) => {
        const text = entry.query.datasource === "jaeger" ? entry.query.search.service : entry.query.expr;
        return entry.kind === "panel" ? `${entry.dashboard}/${entry.panel}/${entry.refId}: ${text}` : `${entry.dashboard}/$${entry.variable}: label_values(${text}, ${entry.label})`;
      })
      .sort();
    expect(fromList).toEqual(stack.files.flatMap((file) => queriesInJson(parseDashboard(file.json))).sort());
    for (const entry of listed) if (entry.query.expectsData !== true) expect(entry.query.expectsData.length, JSON.stringify(entry)).toBeGreaterThan(10);
  });
});

describe("which dashboards ship", async () => {
  const [everything, metricsOnly, minimal] = await Promise.all([renderStack("everything"), renderStack("metrics-only"), renderStack("minimal")]);
  const allQueries = (stack: RenderedStack) => JSON.stringify(stack.files.map((file) => file.json));

  it("all of them when every component runs and services declare SLOs", () => {
    expect([...everything.shipped].sort()).toEqual(DASHBOARD_SOURCES.map((source) => source.uid).sort());
  });

  it("none without Grafana", () => {
    expect(minimal.files).toEqual([]);
    expect(dashboardQueries(minimal.model)).toEqual([]);
  });

  it("no logs or traces dashboard, and no log or trace pipeline panels, without Loki, the Collector and Jaeger", () => {
    expect(metricsOnly.shipped.has("logs")).toBe(false);
    expect(metricsOnly.shipped.has("traces")).toBe(false);
    expect(allQueries(metricsOnly)).not.toMatch(/loki_|promtail_|otelcol_|traces_span_metrics/);
    expect(allQueries(everything)).toMatch(/loki_distributor_lines_received_total/);
  });

  it("no service overview or SLO dashboard without declared services, no SLO dashboard without SLOs", () => {
    const bare = new Set(buildDashboards(modelOf({ project: { name: "bare" } })).map((built) => built.uid));
    expect(bare.has("stack-health")).toBe(true);
    expect(bare.has("service-overview")).toBe(false);
    expect(bare.has("slo")).toBe(false);
    expect(metricsOnly.shipped.has("service-overview")).toBe(true);
    expect(metricsOnly.shipped.has("slo")).toBe(false);
  });

  it("the SLO dashboard reads only series the generated SLO rules record", () => {
    const recorded = new Set([...(everything.bundle.get("prometheus/rules/slo.yml") ?? "").matchAll(/record: (\S+)/g)].map((match) => match[1]));
    const read = new Set(
      dashboardQueries(everything.model)
        .filter((entry) => entry.dashboard === "slo" && entry.query.datasource === "prometheus")
        .flatMap((entry) => [...(entry.query.datasource === "prometheus" ? entry.query.expr : "").matchAll(/slo:[a-z_:0-9]+/g)].map((match) => match[0])),
    );
    expect(read.size).toBeGreaterThan(3);
    for (const name of read) expect(recorded, name).toContain(name);
  });
});

describe("the static rule packs", () => {
  it("link their alerts only to dashboards that exist", () => {
    const known = new Set(DASHBOARD_SOURCES.map((source) => source.uid));
    const packs = readdirSync(RULES_DIR).filter((file) => file.endsWith(".yml"));
    for (const pack of packs)
      for (const link of alertDashboardLinks(readFileSync(join(RULES_DIR, pack), "utf8"))) expect(linkProblem(link.url, known), `${pack}: ${link.alert}`).toEqual([]);
  });
});

describe("the checks catch a broken dashboard", async () => {
  const everything = await renderStack("everything");
  const original = everything.files.find((file) => (file.json as { uid: string }).uid === "stack-health")!.json as Dashboard;
  const problemsAfter = (breakIt: (dashboard: Dashboard) => void): string[] => {
    const broken = structuredClone(original);
    breakIt(broken);
    return dashboardProblems(parseDashboard(broken), everything.shipped);
  };
  const queryPanel = (dashboard: Dashboard, index: number) => {
    const panel = dashboard.panels.filter((candidate) => "targets" in candidate)[index];
    if (!panel || !("targets" in panel)) throw new Error("no such query panel");
    return panel;
  };

  it("the unbroken dashboard passes", () => {
    expect(problemsAfter(() => undefined)).toEqual([]);
  });

  it.for([
    { broken: "a reused panel id", breakIt: (d: Dashboard) => (d.panels[2]!.id = d.panels[1]!.id), expected: /reuses the id/ },
    { broken: "a panel past column 24", breakIt: (d: Dashboard) => (d.panels[1]!.gridPos.x = 20), expected: /past 24/ },
    { broken: "overlapping panels", breakIt: (d: Dashboard) => (d.panels[2]!.gridPos = { ...d.panels[1]!.gridPos }), expected: /overlaps/ },
    {
      broken: "an unknown datasource uid",
      breakIt: (d: Dashboard) => {
        const panel = queryPanel(d, 0);
        panel.datasource = { type: "prometheus", uid: "${DS_PROMETHEUS}" };
        panel.targets[0]!.datasource.uid = "${DS_PROMETHEUS}";
      },
      expected: /provisioned prometheus datasource has uid prometheus/,
    },
    {
      broken: "a target on another datasource than its panel",
      breakIt: (d: Dashboard) => (queryPanel(d, 0).datasource = { type: "loki", uid: "loki" }),
      expected: /not the panel's loki/,
    },
    {
      broken: "a repeated refId",
      breakIt: (d: Dashboard) => {
        const panel = queryPanel(d, 0);
        panel.targets.push(structuredClone(panel.targets[0]!));
      },
      expected: /refId A twice/,
    },
    {
      broken: "an undefined variable",
      breakIt: (d: Dashboard) => {
        const target = queryPanel(d, 0).targets[0]!;
        if ("expr" in target) target.expr = 'up{job=~"$job"}';
      },
      expected: /uses \$job, which is not a dashboard variable/,
    },
    {
      broken: "a link to a dashboard that is not shipped",
      breakIt: (d: Dashboard) => d.links.push({ ...d.links[0]!, type: "link", title: "gone", url: "/d/no-such-dashboard" }),
      expected: /"no-such-dashboard", which this stack does not ship/,
    },
  ])("$broken", ({ breakIt, expected }) => {
    expect(problemsAfter(breakIt).join("\n")).toMatch(expected);
  });

  it("the schema rejects an editable dashboard, an unknown option and a DS_ input", () => {
    expect(dashboardSchema.safeParse({ ...original, editable: true }).success).toBe(false);
    const misspelt = structuredClone(original) as unknown as { panels: Array<{ options?: Record<string, unknown> }> };
    misspelt.panels[1]!.options!.colourMode = "background";
    expect(dashboardSchema.safeParse(misspelt).success).toBe(false);
    const input = structuredClone(original) as unknown as { panels: Array<{ datasource?: unknown }> };
    input.panels[1]!.datasource = "${DS_PROMETHEUS}";
    expect(dashboardSchema.safeParse(input).success).toBe(false);
  });

  it("an alert linking to a dashboard the stack does not ship is reported", () => {
    const rules = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n          dashboard: /d/nope\n";
    const [link] = alertDashboardLinks(rules);
    expect(linkProblem(link!.url, everything.shipped)).toEqual(['/d/nope points at dashboard "nope", which this stack does not ship']);
  });
});
