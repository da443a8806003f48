/**
 * Structural rules a schema cannot express: unique panel ids, a grid without overflow or overlap,
 * datasources that exist with the right type, unique refIds, defined variables, and links that
 * point at shipped dashboards. Each problem is one sentence naming the dashboard and panel.
 */
import { parse } from "yaml";
import { DATASOURCE_UIDS } from "../../../scripts/stack/catalog/datasources.ts";
import { declaredVariables, substituteVariables } from "../../../scripts/stack/validate/grafana-variables.ts";
import type { Dashboard, Panel } from "./grafana-dashboard-schema.ts";

const GRID_COLUMNS = 24;

export function dashboardProblems(dashboard: Dashboard, shipped: ReadonlySet<string>): string[] {
  const at = (panel: Panel) => `${dashboard.uid}: panel ${panel.id} "${panel.title}"`;
  return [
    ...duplicateIds(dashboard, at),
    ...gridProblems(dashboard, at),
    ...dashboard.panels.flatMap((panel) => [...datasourceProblems(panel, at), ...refIdProblems(panel, at)]),
    ...variableProblems(dashboard),
    ...linkUrls(dashboard).flatMap(({ where, url }) => linkProblem(url, shipped).map((problem) => `${dashboard.uid}: ${where}: ${problem}`)),
  ];
}

function duplicateIds(dashboard: Dashboard, at: (panel: Panel) => string): string[] {
  const seen = new Map<number, Panel>();
  return dashboard.panels.flatMap((panel) => {
    const first = seen.get(panel.id);
    seen.set(panel.id, first ?? panel);
    return first ? [`${at(panel)} reuses the id of "${first.title}"`] : [];
  });
}

function gridProblems(dashboard: Dashboard, at: (panel: Panel) => string): string[] {
  const overflow = dashboard.panels.filter((panel) => panel.gridPos.x + panel.gridPos.w > GRID_COLUMNS).map((panel) => `${at(panel)} ends at column ${panel.gridPos.x + panel.gridPos.w}, past ${GRID_COLUMNS}`);
  const overlaps = dashboard.panels.flatMap((panel, index) =>
    dashboard.panels
      .slice(index + 1)
      .filter((other) => intersects(panel.gridPos, other.gridPos))
      .map((other) => `${at(other)} overlaps "${panel.title}"`),
  );
  return [...overflow, ...overlaps];
}

type Rect = Panel["gridPos"];
function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

const UID_BY_TYPE: Readonly<Record<string, string>> = DATASOURCE_UIDS;

function datasourceProblems(panel: Panel, at: (panel: Panel) => string): string[] {
  if (!("targets" in panel)) return [];
  const refs = [panel.datasource, ...panel.targets.map((target) => target.datasource)];
  const unknown = refs
    .filter((ref) => UID_BY_TYPE[ref.type] !== ref.uid)
    .map((ref) => `${at(panel)} uses datasource ${ref.type}/${ref.uid}, but the provisioned ${ref.type} datasource has uid ${UID_BY_TYPE[ref.type] ?? "(none)"}`);
  const mixed = panel.targets
    .filter((target) => target.datasource.uid !== panel.datasource.uid)
    .map((target) => `${at(panel)} target ${target.refId} queries ${target.datasource.uid}, not the panel's ${panel.datasource.uid}`);
  return [...unknown, ...mixed];
}

function refIdProblems(panel: Panel, at: (panel: Panel) => string): string[] {
  if (!("targets" in panel)) return [];
  const refIds = panel.targets.map((target) => target.refId);
  return refIds.filter((refId, index) => refIds.indexOf(refId) !== index).map((refId) => `${at(panel)} has refId ${refId} twice`);
}

/** Every query text of the dashboard: target expressions, Jaeger search fields, variable queries. */
function queryTexts(dashboard: Dashboard): Array<{ where: string; text: string }> {
  const fromPanels = dashboard.panels.flatMap((panel) =>
    "targets" in panel
      ? panel.targets.flatMap((target) => {
          const texts = "expr" in target ? [target.expr] : [target.service, target.operation ?? "", target.tags ?? ""];
          return texts.map((text) => ({ where: `panel ${panel.id} "${panel.title}" target ${target.refId}`, text }));
        })
      : [],
  );
  const fromVariables = dashboard.templating.list.flatMap((variable) => (variable.type === "query" ? [{ where: `variable $${variable.name}`, text: variable.query }] : []));
  return [...fromPanels, ...fromVariables];
}

/** Grafana substitutes its built-ins and the dashboard's variables; a `$name` left over is undefined. */
function variableProblems(dashboard: Dashboard): string[] {
  const declared = declaredVariables(dashboard.templating.list);
  return queryTexts(dashboard).flatMap(({ where, text }) =>
    [...substituteVariables(text, declared).matchAll(/\$\{?([A-Za-z_]\w*)/g)].map(
      (match) => `${dashboard.uid}: ${where} uses $${match[1]}, which is not a dashboard variable`,
    ),
  );
}

/** Every URL a user can click: the link row, panel links and links in text panels. */
export function linkUrls(dashboard: Dashboard): Array<{ where: string; url: string }> {
  const urls = dashboard.links.flatMap((link) => (link.url ? [{ where: `dashboard link "${link.title}"`, url: link.url }] : []));
  for (const panel of dashboard.panels) {
    if ("links" in panel) for (const link of panel.links ?? []) if (link.url) urls.push({ where: `panel "${panel.title}" link "${link.title}"`, url: link.url });
    if (panel.type === "text")
      for (const match of panel.options.content.matchAll(/\]\(([^)\s]+)\)/g)) urls.push({ where: `text panel "${panel.title}"`, url: match[1]! });
  }
  return urls;
}

/** Problems with one link: a `/d/<uid>` link must name a dashboard this stack ships. */
export function linkProblem(url: string, shipped: ReadonlySet<string>): string[] {
  const match = /^\/d\/([^/?#]+)/.exec(url);
  if (!match) return [];
  return shipped.has(match[1]!) ? [] : [`${url} points at dashboard "${match[1]}", which this stack does not ship`];
}

/** `dashboard:` annotations of the alerts in a rule file, with the alert names. */
export function alertDashboardLinks(ruleFileText: string): Array<{ alert: string; url: string }> {
  const file = parse(ruleFileText) as { groups: Array<{ rules: Array<{ alert?: string; annotations?: Record<string, string> }> }> };
  return file.groups.flatMap((group) =>
    group.rules.flatMap((rule) => (rule.alert && rule.annotations?.dashboard ? [{ alert: rule.alert, url: rule.annotations.dashboard }] : [])),
  );
}
