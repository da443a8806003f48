import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { BUNDLE_PATHS } from "../../../scripts/stack/bundle/bundle.ts";
import { formatFinding } from "../../../scripts/stack/validate/models/findings.ts";
import { checkGrafanaDashboardProviders, checkGrafanaDatasources } from "../../../scripts/stack/validate/models/grafana-provisioning.ts";
import { editYaml, goldenFiles, rejectsEach, type GoldenFile } from "./model-cases.ts";

let datasources: GoldenFile[];
let providers: GoldenFile[];
beforeAll(async () => {
  datasources = await goldenFiles((path) => path === BUNDLE_PATHS.grafanaDatasources);
  providers = await goldenFiles((path) => path === BUNDLE_PATHS.grafanaDashboardProvider);
});

type Datasource = Record<string, any>;
const byType = (doc: Record<string, any>, type: string): Datasource => (doc.datasources as Datasource[]).find((entry) => entry.type === type)!;
const indexOf = (doc: Record<string, any>, type: string) => (doc.datasources as Datasource[]).findIndex((entry) => entry.type === type);

describe("grafana datasources model", () => {
  it("accepts every golden bundle's datasources.yml", () => {
    expect(datasources.length).toBeGreaterThan(0);
    for (const { config, text } of datasources) expect(checkGrafanaDatasources(text).map(formatFinding), config).toEqual([]);
  });

  const everything = () => datasources.find((file) => file.config === "everything")!.text;

  rejectsEach(checkGrafanaDatasources, everything, [
    {
      name: "a derived field linking to a missing datasource uid",
      breakIt: editYaml((doc) => {
        byType(doc, "loki").jsonData.derivedFields[0].datasourceUid = "tempo";
      }),
      field: "jsonData.derivedFields[0].datasourceUid",
      message: "no provisioned datasource",
    },
    {
      name: "an unknown access mode",
      breakIt: editYaml((doc) => {
        byType(doc, "prometheus").access = "server";
      }),
      field: "access",
      message: "proxy",
    },
    {
      name: "a duplicate uid",
      breakIt: editYaml((doc) => {
        byType(doc, "jaeger").uid = byType(doc, "loki").uid;
      }),
      field: "uid",
      message: "also the uid",
    },
    {
      name: "an unknown plugin type",
      breakIt: editYaml((doc) => {
        byType(doc, "jaeger").type = "jager";
      }),
      field: "type",
      message: "not a datasource plugin",
    },
    {
      name: "traces-to-logs linking to a Prometheus datasource",
      breakIt: editYaml((doc) => {
        byType(doc, "jaeger").jsonData.tracesToLogsV2.datasourceUid = byType(doc, "prometheus").uid;
      }),
      field: "jsonData.tracesToLogsV2.datasourceUid",
      message: "needs loki",
    },
    {
      name: "an exemplar destination to a missing uid",
      breakIt: editYaml((doc) => {
        byType(doc, "prometheus").jsonData.exemplarTraceIdDestinations[0].datasourceUid = "tempo";
      }),
      field: "exemplarTraceIdDestinations[0].datasourceUid",
      message: "no provisioned datasource",
    },
    {
      name: "two default datasources",
      breakIt: editYaml((doc) => {
        byType(doc, "loki").isDefault = true;
      }),
      field: `isDefault`,
      message: "only one datasource",
    },
    {
      name: "a Grafana variable left unescaped (read as an environment variable)",
      breakIt: editYaml((doc) => {
        byType(doc, "loki").jsonData.derivedFields[0].url = "${__value.raw}";
      }),
      field: "derivedFields[0].url",
      message: "environment variable",
    },
    {
      name: "a misspelled jsonData key (Grafana would drop it silently)",
      breakIt: editYaml((doc) => {
        const loki = byType(doc, "loki");
        loki.jsondata = loki.jsonData;
        delete loki.jsonData;
      }),
      field: "jsondata",
      message: "unknown key",
    },
    {
      name: "an invalid uid",
      breakIt: editYaml((doc) => {
        byType(doc, "alertmanager").uid = "alert manager!";
      }),
      field: "uid",
      message: "letters, digits",
    },
    {
      name: "an unsupported HTTP method",
      breakIt: editYaml((doc) => {
        byType(doc, "prometheus").jsonData.httpMethod = "PUT";
      }),
      field: "jsonData.httpMethod",
      message: "POST",
    },
  ]);

  it("names the datasource by its index", () => {
    const text = editYaml((doc) => {
      byType(doc, "loki").jsonData.derivedFields[0].datasourceUid = "tempo";
    })(everything());
    const lokiIndex = indexOf(parseYaml(everything()) as Record<string, any>, "loki");
    expect(checkGrafanaDatasources(text)[0]?.path).toBe(`datasources[${lokiIndex}].jsonData.derivedFields[0].datasourceUid`);
  });
});

describe("grafana dashboard providers model", () => {
  it("accepts every golden bundle's dashboards.yml", () => {
    expect(providers.length).toBeGreaterThan(0);
    for (const { config, text } of providers) expect(checkGrafanaDashboardProviders(text).map(formatFinding), config).toEqual([]);
  });

  rejectsEach(checkGrafanaDashboardProviders, () => providers[0]!.text, [
    { name: "a provider type other than file", breakIt: editYaml((doc) => void (doc.providers[0].type = "files")), field: "providers[0].type", message: "file" },
    { name: "a provider without options.path", breakIt: editYaml((doc) => void delete doc.providers[0].options.path), field: "providers[0].options.path", message: "required" },
    { name: "a duplicate provider name", breakIt: editYaml((doc) => void doc.providers.push(structuredClone(doc.providers[0]))), field: "providers[1].name", message: "unique" },
    {
      name: "a folder with foldersFromFilesStructure",
      breakIt: editYaml((doc) => void (doc.providers[0].options.foldersFromFilesStructure = true)),
      field: "providers[0].folder",
      message: "foldersFromFilesStructure",
    },
    { name: "apiVersion 2", breakIt: editYaml((doc) => void (doc.apiVersion = 2)), field: "apiVersion", message: "must be 1" },
    { name: "a misspelled key", breakIt: editYaml((doc) => void (doc.providers[0].allowUIUpdates = true)), field: "providers[0].allowUIUpdates", message: "unknown key" },
  ]);
});
