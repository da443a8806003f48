/**
 * Typed models of the Grafana provisioning files obs-stack renders, at the pinned Grafana (13):
 * datasources.yml and the dashboards provider file. Grafana ignores keys it does not know, so an
 * unknown key is a setting silently lost: the model rejects it where the reference lists every key
 * (the file, a datasource, a provider) and checks only the settings we use inside plugin `jsonData`.
 * Beyond shapes it checks what Grafana refuses or what breaks links between datasources: one default,
 * unique names and uids, uids in Grafana's format, references to provisioned uids of the right type,
 * and `$` escaping (Grafana expands `$NAME` and `${NAME}` from its environment; `$$` is a literal `$`).
 */
import { z } from "zod";
import { IMAGE_PINS } from "../../catalog/components.ts";
import { prometheusDuration } from "./durations.ts";
import { checkYamlFile, finding, type ModelFinding } from "./findings.ts";
import { LABEL_NAME } from "./relabel-rules.ts";

export const GRAFANA_MODEL_VERSION = IMAGE_PINS.grafana.tag;

/** Datasource plugins Grafana 13 ships (the stack installs no others). */
const CORE_DATASOURCE_TYPES = [
  "alertmanager", "cloudwatch", "elasticsearch", "grafana-azure-monitor-datasource", "grafana-postgresql-datasource", "postgres",
  "grafana-pyroscope-datasource", "grafana-testdata-datasource", "testdata", "graphite", "influxdb", "jaeger", "loki", "mssql", "mysql",
  "opentsdb", "parca", "prometheus", "stackdriver", "tempo", "zipkin",
] as const;

const apiVersion = z.literal(1, { error: "must be 1 (the provisioning file format version)" });
/** Grafana's short uid: at most 40 letters, digits, `-` and `_`. */
const uid = z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, "must be 1-40 letters, digits, '-' or '_'");
/** Grafana's relative time shifts in trace links: "-5m", "1h", "0". */
const timeShift = z.string().regex(/^-?\d+(ms|s|m|h|d|w|y)$|^0$/, 'must be a time shift such as "-5m" or "1h"');
const tagMappings = z.array(z.looseObject({ key: z.string().min(1), value: z.string().optional() })).optional();

const exemplarDestination = z
  .looseObject({ name: z.string().min(1), datasourceUid: uid.optional(), url: z.string().optional(), urlDisplayLabel: z.string().optional() })
  .refine((destination) => (destination.datasourceUid === undefined) !== (destination.url === undefined), { error: "set exactly one of datasourceUid (internal link) or url" });

const derivedField = z.looseObject({
  name: z.string().min(1),
  matcherRegex: z.string().min(1),
  matcherType: z.enum(["regex", "label"]).optional(),
  datasourceUid: uid.optional(),
  url: z.string().optional(),
  urlDisplayLabel: z.string().optional(),
});

/** The jsonData settings we render, per plugin; other keys belong to the plugin and pass through. */
const JSON_DATA = {
  prometheus: z.looseObject({
    timeInterval: prometheusDuration.optional(),
    httpMethod: z.enum(["GET", "POST"]).optional(),
    exemplarTraceIdDestinations: z.array(exemplarDestination).optional(),
  }),
  loki: z.looseObject({ maxLines: z.number().int().min(1).optional(), derivedFields: z.array(derivedField).optional() }),
  jaeger: z.looseObject({
    tracesToLogsV2: z
      .looseObject({
        datasourceUid: uid,
        spanStartTimeShift: timeShift.optional(),
        spanEndTimeShift: timeShift.optional(),
        tags: tagMappings,
        filterByTraceID: z.boolean().optional(),
        filterBySpanID: z.boolean().optional(),
        customQuery: z.boolean().optional(),
        query: z.string().optional(),
      })
      .refine((link) => !link.customQuery || (link.query ?? "") !== "", { error: "customQuery needs a query", path: ["query"] })
      .optional(),
    tracesToMetrics: z
      .looseObject({
        datasourceUid: uid,
        spanStartTimeShift: timeShift.optional(),
        spanEndTimeShift: timeShift.optional(),
        tags: tagMappings,
        queries: z.array(z.looseObject({ name: z.string().min(1), query: z.string().min(1) })).optional(),
      })
      .optional(),
  }),
  alertmanager: z.looseObject({ implementation: z.enum(["prometheus", "mimir", "cortex"]).optional(), handleGrafanaManagedAlerts: z.boolean().optional() }),
} as const;

const datasource = z
  .strictObject({
    name: z.string().min(1),
    type: z.enum(CORE_DATASOURCE_TYPES, { error: (issue) => `${JSON.stringify(issue.input)} is not a datasource plugin Grafana ${GRAFANA_MODEL_VERSION} ships` }),
    access: z.enum(["proxy", "direct"], { error: 'must be "proxy" (server) or "direct" (browser)' }).optional(),
    orgId: z.number().int().min(1).optional(),
    uid: uid.optional(),
    url: z.string().optional(),
    user: z.string().optional(),
    database: z.string().optional(),
    basicAuth: z.boolean().optional(),
    basicAuthUser: z.string().optional(),
    withCredentials: z.boolean().optional(),
    isDefault: z.boolean().optional(),
    jsonData: z.record(z.string(), z.unknown()).optional(),
    secureJsonData: z.record(z.string(), z.string()).optional(),
    version: z.number().int().optional(),
    editable: z.boolean().optional(),
  })
  .superRefine((entry, context) => {
    const schema = JSON_DATA[entry.type as keyof typeof JSON_DATA];
    const parsed = schema?.safeParse(entry.jsonData ?? {});
    for (const issue of parsed?.success === false ? parsed.error.issues : []) context.addIssue({ code: "custom", message: issue.message, path: ["jsonData", ...issue.path] });
  });

const datasourcesFile = z.strictObject({
  apiVersion,
  prune: z.boolean().optional(),
  deleteDatasources: z.array(z.strictObject({ name: z.string().min(1), orgId: z.number().int().min(1).optional() })).optional(),
  datasources: z.array(datasource).optional(),
});

type Datasource = z.output<typeof datasource>;

export function checkGrafanaDatasources(text: string): ModelFinding[] {
  return checkYamlFile(text, datasourcesFile, (file) => {
    const datasources = file.datasources ?? [];
    return [...uniquenessRules(datasources), ...linkRules(datasources), ...escapingRules(["datasources"], datasources)];
  });
}

function uniquenessRules(datasources: readonly Datasource[]): ModelFinding[] {
  const findings: ModelFinding[] = [];
  const defaults = new Map<number, number>();
  const names = new Map<string, number>();
  const uids = new Map<string, number>();
  datasources.forEach((entry, index) => {
    const org = entry.orgId ?? 1;
    if (entry.isDefault) {
      if (defaults.has(org)) findings.push(finding(["datasources", index, "isDefault"], `only one datasource per organization may be the default (datasources[${defaults.get(org)}] already is)`));
      else defaults.set(org, index);
    }
    const nameKey = `${org}/${entry.name}`;
    if (names.has(nameKey)) findings.push(finding(["datasources", index, "name"], `${JSON.stringify(entry.name)} is also the name of datasources[${names.get(nameKey)}]`));
    else names.set(nameKey, index);
    if (entry.uid !== undefined) {
      if (uids.has(entry.uid)) findings.push(finding(["datasources", index, "uid"], `${JSON.stringify(entry.uid)} is also the uid of datasources[${uids.get(entry.uid)}]`));
      else uids.set(entry.uid, index);
    }
  });
  return findings;
}

/** Cross-datasource links must name a provisioned uid, of a type the link can use. */
function linkRules(datasources: readonly Datasource[]): ModelFinding[] {
  const typeByUid = new Map(datasources.flatMap((entry) => (entry.uid === undefined ? [] : [[entry.uid, entry.type] as const])));
  const findings: ModelFinding[] = [];
  const link = (path: ReadonlyArray<string | number>, target: string | undefined, acceptedTypes?: readonly string[]) => {
    if (target === undefined) return;
    const type = typeByUid.get(target);
    if (type === undefined) findings.push(finding(path, `no provisioned datasource has uid ${JSON.stringify(target)}`, `uids: ${[...typeByUid.keys()].join(", ") || "(none)"}`));
    else if (acceptedTypes && !acceptedTypes.includes(type)) findings.push(finding(path, `${JSON.stringify(target)} is a ${type} datasource; this link needs ${acceptedTypes.join(" or ")}`));
  };
  datasources.forEach((entry, index) => {
    const at = (...rest: Array<string | number>) => ["datasources", index, "jsonData", ...rest];
    if (entry.type === "prometheus") {
      const jsonData = JSON_DATA.prometheus.parse(entry.jsonData ?? {});
      jsonData.exemplarTraceIdDestinations?.forEach((destination, position) => link(at("exemplarTraceIdDestinations", position, "datasourceUid"), destination.datasourceUid, ["jaeger", "tempo", "zipkin"]));
    }
    if (entry.type === "loki") {
      const jsonData = JSON_DATA.loki.parse(entry.jsonData ?? {});
      jsonData.derivedFields?.forEach((field, position) => {
        link(at("derivedFields", position, "datasourceUid"), field.datasourceUid);
        findings.push(...derivedFieldMatcherRules(at("derivedFields", position, "matcherRegex"), field));
      });
    }
    if (entry.type === "jaeger") {
      const jsonData = JSON_DATA.jaeger.parse(entry.jsonData ?? {});
      link(at("tracesToLogsV2", "datasourceUid"), jsonData.tracesToLogsV2?.datasourceUid, ["loki", "elasticsearch"]);
      link(at("tracesToMetrics", "datasourceUid"), jsonData.tracesToMetrics?.datasourceUid, ["prometheus"]);
    }
  });
  return findings;
}

/** A label matcher names a label; a regex matcher runs in the browser, as a JavaScript regex. */
function derivedFieldMatcherRules(path: ReadonlyArray<string | number>, field: z.output<typeof derivedField>): ModelFinding[] {
  if (field.matcherType === "label") return LABEL_NAME.test(field.matcherRegex) ? [] : [finding(path, `${JSON.stringify(field.matcherRegex)} is not a label name (matcherType is label)`)];
  try {
    new RegExp(field.matcherRegex);
    return [];
  } catch (error) {
    return [finding(path, `not a valid regex: ${(error as Error).message}`)];
  }
}

/**
 * Grafana expands `${NAME}` and `$NAME` in every provisioned value. Grafana's own link variables
 * (`${__value.raw}`, `$__tags`) must therefore be written `$$…`, or they turn into empty strings.
 */
function escapingRules(path: ReadonlyArray<string | number>, value: unknown): ModelFinding[] {
  if (typeof value === "string") {
    const unescaped = [...value.matchAll(/\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? match[2]).filter((name) => name?.startsWith("__"));
    return unescaped.map((name) => finding(path, `\${${name}} is read as an environment variable (and becomes empty); write $\${${name}} for Grafana's own variable`));
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => escapingRules([...path, index], item));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => escapingRules([...path, key], item));
  return [];
}

const provider = z
  .strictObject({
    name: z.string().min(1),
    orgId: z.number().int().min(1).optional(),
    folder: z.string().optional(),
    folderUid: uid.optional(),
    type: z.literal("file", { error: 'must be "file"' }),
    disableDeletion: z.boolean().optional(),
    updateIntervalSeconds: z.number().int().min(1).optional(),
    allowUiUpdates: z.boolean().optional(),
    options: z.strictObject({ path: z.string().min(1), foldersFromFilesStructure: z.boolean().optional() }),
  })
  .refine((entry) => !entry.options.foldersFromFilesStructure || (entry.folder === undefined && entry.folderUid === undefined), {
    error: "folder and folderUid must be empty when options.foldersFromFilesStructure is true",
    path: ["folder"],
  });

const dashboardProvidersFile = z.strictObject({ apiVersion, providers: z.array(provider).min(1, "needs at least one provider") });

export function checkGrafanaDashboardProviders(text: string): ModelFinding[] {
  return checkYamlFile(text, dashboardProvidersFile, (file) => {
    const seen = new Map<string, number>();
    return file.providers.flatMap((entry, index) => {
      const previous = seen.get(entry.name);
      if (previous === undefined) return seen.set(entry.name, index), [];
      return [finding(["providers", index, "name"], `${JSON.stringify(entry.name)} is also the name of providers[${previous}]; provider names must be unique`)];
    });
  });
}
