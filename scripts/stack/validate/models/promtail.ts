/**
 * Typed model of the promtail.yml obs-stack renders, at the pinned Promtail (3.6): the keys Promtail
 * accepts (strictly, as it unmarshals), Docker discovery, relabelling and the pipeline stages. Stage
 * bodies are checked strictly too, though Promtail decodes them leniently: a mistyped key there
 * would be ignored without a word and silently change the pipeline.
 */
import { z } from "zod";
import { IMAGE_PINS } from "../../catalog/components.ts";
import { didYouMean } from "../../config/did-you-mean.ts";
import { documentedBlock } from "./documented-block.ts";
import { goDuration, prometheusDuration } from "./durations.ts";
import { checkAgainst, checkYamlFile, finding, nestedUnder, type ModelFinding } from "./findings.ts";
import { dropStageProblems, labelNameProblems, matchStageProblems, regexProblems, templateProblems } from "./log-stages.ts";
import { PROMTAIL_DOCUMENTED_KEYS } from "./promtail-keys.ts";
import { relabelRuleProblems } from "./relabel-rules.ts";

export const PROMTAIL_MODEL_VERSION = IMAGE_PINS.promtail.tag;

const block = <Shape extends z.ZodRawShape>(name: string, typed: Shape) => documentedBlock(`Promtail ${PROMTAIL_MODEL_VERSION}`, PROMTAIL_DOCUMENTED_KEYS[name], typed);

const port = z.number().int().min(0).max(65535);

const relabelConfig = block("relabel_configs", {
  source_labels: z.array(z.string()).optional(),
  separator: z.string().optional(),
  target_label: z.string().optional(),
  regex: z.string().optional(),
  modulus: z.number().int().min(0).optional(),
  replacement: z.string().optional(),
  action: z.string().optional(),
});

const promtailConfig = block("", {
  server: block("server", {
    http_listen_port: port.optional(),
    grpc_listen_port: port.optional(),
    log_level: z.enum(["debug", "info", "warn", "error"]).optional(),
  }).optional(),
  positions: block("positions", { filename: z.string().min(1).optional(), sync_period: goDuration.optional() }).optional(),
  clients: z.array(block("clients", { url: z.url(), batchwait: goDuration.optional(), timeout: goDuration.optional() })).min(1, "needs at least one Loki client"),
  scrape_configs: z.array(
    block("scrape_configs", {
      job_name: z.string().min(1),
      docker_sd_configs: z
        .array(
          block("docker_sd_configs", {
            host: z.string().regex(/^(unix|tcp|https?):\/\/\S+$/, "must be a Docker daemon address such as unix:///var/run/docker.sock"),
            refresh_interval: prometheusDuration.optional(),
            port: port.optional(),
          }),
        )
        .optional(),
      relabel_configs: z.array(relabelConfig).optional(),
      pipeline_stages: z.array(z.unknown()).optional(),
    }),
  ),
});

type PromtailConfig = z.output<typeof promtailConfig>;

const extractedNames = z.record(z.string(), z.string().nullable());
const nonEmpty = (what: string) => extractedNames.refine((map) => Object.keys(map).length > 0, { error: `needs at least one ${what}` });

/** The stages we render, typed; Promtail's other stages are known by name only. */
const STAGE_SCHEMAS = {
  drop: z.strictObject({
    source: z.union([z.string(), z.array(z.string())]).optional(),
    separator: z.string().optional(),
    expression: z.string().optional(),
    value: z.string().optional(),
    older_than: z.string().optional(),
    longer_than: z.union([z.string(), z.number()]).optional(),
    drop_counter_reason: z.string().optional(),
  }),
  match: z.strictObject({
    selector: z.string(),
    pipeline_name: z.string().optional(),
    action: z.enum(["keep", "drop"]).optional(),
    drop_counter_reason: z.string().optional(),
    stages: z.array(z.unknown()).optional(),
  }),
  logfmt: z.strictObject({ mapping: nonEmpty("field in mapping"), source: z.string().optional() }),
  json: z.strictObject({ expressions: nonEmpty("expression"), source: z.string().optional() }),
  template: z.strictObject({ source: z.string().min(1), template: z.string() }),
  labels: nonEmpty("label"),
  structured_metadata: nonEmpty("label"),
  replace: z.strictObject({ expression: z.string(), source: z.string().optional(), replace: z.string().optional() }),
} as const;

const OTHER_STAGES = [
  "cri", "decolorize", "docker", "eventlogmessage", "geoip", "labelallow", "labeldrop", "limit", "metrics", "multiline",
  "output", "pack", "regex", "sampling", "static_labels", "tenant", "timestamp",
] as const;
const STAGE_NAMES = [...Object.keys(STAGE_SCHEMAS), ...OTHER_STAGES];

export function checkPromtailConfig(text: string): ModelFinding[] {
  return checkYamlFile(text, promtailConfig, (config) => [...jobNameRules(config), ...config.scrape_configs.flatMap(scrapeConfigRules)]);
}

function jobNameRules(config: PromtailConfig): ModelFinding[] {
  const seen = new Set<string>();
  return config.scrape_configs.flatMap((scrape, index) => {
    if (!seen.has(scrape.job_name)) return seen.add(scrape.job_name), [];
    return [finding(["scrape_configs", index, "job_name"], `${JSON.stringify(scrape.job_name)} is used by an earlier scrape config`)];
  });
}

function scrapeConfigRules(scrape: PromtailConfig["scrape_configs"][number], index: number): ModelFinding[] {
  const relabel = (scrape.relabel_configs ?? []).flatMap((rule, ruleIndex) =>
    nestedUnder(["scrape_configs", index, "relabel_configs", ruleIndex], relabelRuleProblems(rule)),
  );
  return [...relabel, ...stagesProblems(["scrape_configs", index, "pipeline_stages"], scrape.pipeline_stages ?? [])];
}

function stagesProblems(path: ReadonlyArray<string | number>, stages: readonly unknown[]): ModelFinding[] {
  return stages.flatMap((stage, index) => stageProblems([...path, index], stage));
}

function stageProblems(path: ReadonlyArray<string | number>, stage: unknown): ModelFinding[] {
  if (stage === null || typeof stage !== "object" || Array.isArray(stage) || Object.keys(stage).length !== 1)
    return [finding(path, "a pipeline stage is a map with exactly one key, the stage's name")];
  const [[name, body]] = Object.entries(stage) as [[string, unknown]];
  if (!(name in STAGE_SCHEMAS)) {
    if ((OTHER_STAGES as readonly string[]).includes(name)) return [];
    const suggestion = didYouMean(name, STAGE_NAMES);
    return [finding([...path, name], "unknown pipeline stage", suggestion ? `did you mean "${suggestion}"?` : `stages: ${STAGE_NAMES.join(", ")}`)];
  }
  const schema = STAGE_SCHEMAS[name as keyof typeof STAGE_SCHEMAS] as z.ZodType;
  return nestedUnder([...path, name], checkAgainst(schema, body, (typed) => stageRules(name as keyof typeof STAGE_SCHEMAS, typed)));
}

/** Rules beyond the shape, with paths relative to the stage body. */
function stageRules(name: keyof typeof STAGE_SCHEMAS, body: unknown): ModelFinding[] {
  switch (name) {
    case "drop":
      return dropStageProblems(body as z.output<(typeof STAGE_SCHEMAS)["drop"]>);
    case "match": {
      const match = body as z.output<(typeof STAGE_SCHEMAS)["match"]>;
      const nested = stagesProblems([], match.stages ?? []);
      return [...matchStageProblems(match, match.stages?.length ?? 0), ...nestedUnder(["stages"], nested)];
    }
    case "template": {
      const template = body as z.output<(typeof STAGE_SCHEMAS)["template"]>;
      return templateProblems("template", template.template);
    }
    case "labels":
    case "structured_metadata":
      return labelNameProblems(Object.keys(body as object));
    case "replace":
      return regexProblems("expression", (body as z.output<(typeof STAGE_SCHEMAS)["replace"]>).expression);
    default:
      return [];
  }
}
