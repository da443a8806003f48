import { beforeAll, describe, expect, it } from "vitest";
import { BUNDLE_PATHS } from "../../../scripts/stack/bundle/bundle.ts";
import { formatFinding } from "../../../scripts/stack/validate/models/findings.ts";
import { checkPromtailConfig } from "../../../scripts/stack/validate/models/promtail.ts";
import { renderPromtailConfig } from "../../../scripts/stack/render/promtail.ts";
import { editYaml, goldenFiles, rejectsEach, collectorConfigForEveryGolden, type GoldenFile } from "./model-cases.ts";

let golden: GoldenFile[];
let rendered: GoldenFile[];
beforeAll(async () => {
  golden = await goldenFiles((path) => path === BUNDLE_PATHS.promtail);
  rendered = await collectorConfigForEveryGolden(renderPromtailConfig);
});

/** The stage list of the first scrape config, for edits. */
const stages = (doc: Record<string, any>): Array<Record<string, any>> => doc.scrape_configs[0].pipeline_stages;
const stageIndex = (doc: Record<string, any>, name: string) => stages(doc).findIndex((stage) => name in stage);

describe("promtail model", () => {
  it("accepts every golden bundle's promtail.yml, and the one each golden config would get with Promtail", () => {
    for (const { config, text } of [...golden, ...rendered]) expect(checkPromtailConfig(text).map(formatFinding), config).toEqual([]);
  });

  const richest = () => rendered.find((file) => file.config === "everything")!.text;

  rejectsEach(checkPromtailConfig, richest, [
    {
      name: "an unknown stage",
      breakIt: editYaml((doc) => {
        stages(doc).push({ jsonn: { expressions: { level: "level" } } });
      }),
      field: "pipeline_stages",
      message: "unknown pipeline stage",
    },
    {
      name: "a replace regex with lookahead",
      breakIt: editYaml((doc) => {
        stages(doc).push({ replace: { expression: "password=(?=\\S+)", replace: "***" } });
      }),
      field: "replace.expression",
      message: /lookahead|lookaround/,
    },
    {
      name: "a drop regex with a backreference",
      breakIt: editYaml((doc) => {
        stages(doc).unshift({ drop: { expression: "(a)\\1" } });
      }),
      field: "pipeline_stages[0].drop.expression",
      message: "backreference",
    },
    {
      name: "a match selector that is not a stream selector",
      breakIt: editYaml((doc) => {
        stages(doc).push({ match: { selector: 'service="web"', stages: [{ json: { expressions: { level: null } } }] } });
      }),
      field: "match.selector",
      message: "not a stream selector",
    },
    {
      name: "a keep match without nested stages",
      breakIt: editYaml((doc) => {
        stages(doc).push({ match: { selector: '{service="web"}' } });
      }),
      field: "match.stages",
      message: "nested stages",
    },
    {
      name: "a mistyped key inside a stage (Promtail would silently ignore it)",
      breakIt: editYaml((doc) => {
        const json = stages(doc)[stageIndex(doc, "json")]!.json;
        json.expresions = json.expressions;
        delete json.expressions;
      }),
      field: "json.expresions",
      message: "unknown key",
    },
    {
      name: "an unknown key in positions",
      breakIt: editYaml((doc) => {
        doc.positions.bogus_field = 1;
      }),
      field: "positions.bogus_field",
      message: "unknown key",
    },
    {
      name: "an unknown relabel action",
      breakIt: editYaml((doc) => {
        doc.scrape_configs[0].relabel_configs[0].action = "rename";
      }),
      field: "relabel_configs[0].action",
      message: "unknown relabel action",
    },
    {
      name: "a relabel regex that does not compile",
      breakIt: editYaml((doc) => {
        doc.scrape_configs[0].relabel_configs[0].regex = "/(.*";
      }),
      field: "relabel_configs[0].regex",
      message: "missing closing )",
    },
    {
      name: "a target label that is not a label name",
      breakIt: editYaml((doc) => {
        doc.scrape_configs[0].relabel_configs[0].target_label = "container-name";
      }),
      field: "relabel_configs[0].target_label",
      message: "not a label name",
    },
    {
      name: "a labels stage naming an invalid label",
      breakIt: editYaml((doc) => {
        stages(doc)[stageIndex(doc, "labels")]!.labels["log-level"] = "level";
      }),
      field: "labels.log-level",
      message: "not a label name",
    },
    {
      name: "a refresh interval that is not a duration",
      breakIt: editYaml((doc) => {
        doc.scrape_configs[0].docker_sd_configs[0].refresh_interval = "5 seconds";
      }),
      field: "docker_sd_configs[0].refresh_interval",
      message: "not a Prometheus duration",
    },
    {
      name: "a drop stage combining value and expression",
      breakIt: editYaml((doc) => {
        stages(doc).unshift({ drop: { source: "level", value: "debug", expression: "debug" } });
      }),
      field: "pipeline_stages[0].drop.value",
      message: "cannot be combined with expression",
    },
    {
      name: "no Loki client",
      breakIt: editYaml((doc) => {
        doc.clients = [];
      }),
      field: "clients",
      message: "at least one",
    },
  ]);
});
