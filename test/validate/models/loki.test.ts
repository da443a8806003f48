import { beforeAll, describe, expect, it } from "vitest";
import { BUNDLE_PATHS } from "../../../scripts/stack/bundle/bundle.ts";
import { formatFinding } from "../../../scripts/stack/validate/models/findings.ts";
import { checkLokiConfig } from "../../../scripts/stack/validate/models/loki.ts";
import { editYaml, goldenFiles, rejectsEach, type GoldenFile } from "./model-cases.ts";

let golden: GoldenFile[];
beforeAll(async () => {
  golden = await goldenFiles((path) => path === BUNDLE_PATHS.loki);
});

describe("loki model", () => {
  it("accepts every golden bundle's loki.yml", () => {
    expect(golden.length).toBeGreaterThan(0);
    for (const { config, text } of golden) expect(checkLokiConfig(text).map(formatFinding), config).toEqual([]);
  });

  const everything = () => golden.find((file) => file.config === "everything")!.text;
  const otlp = (rules: object) =>
    editYaml((doc) => {
      doc.limits_config.otlp_config = rules;
    });

  rejectsEach(checkLokiConfig, everything, [
    {
      name: "schema v12 while structured metadata is allowed (the default)",
      breakIt: editYaml((doc) => {
        doc.schema_config.configs[0].schema = "v12";
      }),
      field: "schema_config.configs[0].schema",
      message: "v13",
    },
    {
      name: "a boltdb-shipper index with structured metadata",
      breakIt: editYaml((doc) => {
        doc.schema_config.configs[0].store = "boltdb-shipper";
      }),
      field: "schema_config.configs[0].store",
      message: "tsdb",
    },
    {
      name: "retention without compactor.delete_request_store",
      breakIt: editYaml((doc) => {
        delete doc.compactor.delete_request_store;
      }),
      field: "compactor.delete_request_store",
      message: "required",
    },
    {
      name: "retention set while the compactor's retention is off",
      breakIt: editYaml((doc) => {
        doc.compactor.retention_enabled = false;
      }),
      field: "compactor.retention_enabled",
      message: "must be true",
    },
    {
      name: "unknown key limit_config",
      breakIt: (text) => text.replace(/^limits_config:/m, "limit_config:"),
      field: "limit_config",
      message: "unknown key",
    },
    {
      name: "bad duration 31days",
      breakIt: editYaml((doc) => {
        doc.limits_config.retention_period = "31days";
      }),
      field: "limits_config.retention_period",
      message: "not a Prometheus duration",
    },
    {
      name: "a day unit in a Go duration field",
      breakIt: editYaml((doc) => {
        doc.compactor.compaction_interval = "1d";
      }),
      field: "compactor.compaction_interval",
      message: "not a Go duration",
    },
    {
      name: "retention shorter than 24h",
      breakIt: editYaml((doc) => {
        doc.limits_config.retention_stream[0].period = "12h";
      }),
      field: "limits_config.retention_stream[0].period",
      message: "at least 24h",
    },
    {
      name: "a retention selector that is not a stream selector",
      breakIt: editYaml((doc) => {
        doc.limits_config.retention_stream[0].selector = 'category="audit"';
      }),
      field: "limits_config.retention_stream[0].selector",
      message: "not a stream selector",
    },
    {
      name: "a 7-day index period",
      breakIt: editYaml((doc) => {
        doc.schema_config.configs[0].index.period = "168h";
      }),
      field: "schema_config.configs[0].index.period",
      message: "24h",
    },
    {
      name: "OTLP index_label on scope attributes",
      breakIt: otlp({ scope_attributes: [{ action: "index_label", attributes: ["method.name"] }] }),
      field: "limits_config.otlp_config.scope_attributes[0].action",
      message: "index_label",
    },
    {
      name: "an OTLP rule with an unknown action",
      breakIt: otlp({ log_attributes: [{ action: "label", attributes: ["user.id"] }] }),
      field: "limits_config.otlp_config.log_attributes[0].action",
      message: "not allowed",
    },
    {
      name: "an OTLP rule with both attributes and regex",
      breakIt: otlp({ resource_attributes: { attributes_config: [{ action: "drop", attributes: ["a"], regex: "b.*" }] } }),
      field: "limits_config.otlp_config.resource_attributes.attributes_config[0]",
      message: "only one of attributes or regex",
    },
    {
      name: "an OTLP rule with neither attributes nor regex",
      breakIt: otlp({ log_attributes: [{ action: "drop" }] }),
      field: "limits_config.otlp_config.log_attributes[0]",
      message: "attributes or regex must be set",
    },
    {
      name: "an OTLP regex with lookahead",
      breakIt: otlp({ resource_attributes: { ignore_defaults: true, attributes_config: [{ action: "index_label", regex: "service(?=\\.name)" }] } }),
      field: "limits_config.otlp_config.resource_attributes.attributes_config[0].regex",
      message: /lookahead|lookaround/,
    },
    {
      name: "OTLP ingestion with structured metadata turned off",
      breakIt: editYaml((doc) => {
        doc.limits_config.allow_structured_metadata = false;
        doc.limits_config.otlp_config = { resource_attributes: { attributes_config: [{ action: "index_label", attributes: ["service.name"] }] } };
      }),
      field: "limits_config.allow_structured_metadata",
      message: "OTLP",
    },
  ]);

  it("accepts a full OTLP mapping as Loki documents it (log attributes may become labels since 3.5)", () => {
    const withOtlp = otlp({
      resource_attributes: { ignore_defaults: true, attributes_config: [{ action: "index_label", attributes: ["service.name", "deployment.environment.name"] }] },
      scope_attributes: [{ action: "drop", attributes: ["method.name"] }],
      log_attributes: [{ action: "structured_metadata", attributes: ["user.id"] }, { action: "index_label", regex: "level" }, { action: "drop", regex: ".*" }],
      severity_text_as_label: false,
    })(everything());
    expect(checkLokiConfig(withOtlp).map(formatFinding)).toEqual([]);
  });
});
