/**
 * The Collector's log pipelines as data: container logs (Docker's fluentd driver → Fluent Forward
 * receiver) and OTLP logs from applications get the same labels, parsing, drop and scrub rules as
 * Promtail and Alloy apply, then go to Loki's OTLP endpoint. Statements are OTTL; every value from
 * the config enters them as an OTTL string literal.
 */
import { collectorShipsContainerLogs, LOG_INDEX_LABELS, type StackModel } from "../config/model.ts";
import { scrubRules } from "../logs/scrub-rules.ts";
import { toReplaceAll } from "../logs/scrub-rewrite.ts";
import { DEFAULT_LOG_CATEGORY, LOG_LABELS } from "./promtail.ts";

/** Docker labels the fluentd driver copies into every record (see fluentdLogging in log-shipping.ts). */
export const COMPOSE_LABELS = { service: "com.docker.compose.service", project: "com.docker.compose.project" } as const;


export interface CollectorLogPipelines {
  /** Loki's OTLP endpoint (the exporter appends /v1/logs). */
  lokiOtlpEndpoint: string;
  /** Whether container logs arrive through the Fluent Forward receiver. */
  containerLogs: boolean;
  containerStatements: string[];
  otlpStatements: string[];
  dropConditions: string[];
  scrubStatements: string[];
  resourceStatements: string[];
  indexLabels: readonly string[];
}

/** An OTTL string literal: OTTL unquotes Go-style, which accepts what JSON.stringify writes. */
const str = (value: string) => JSON.stringify(value);
const attr = (key: string) => `log.attributes[${str(key)}]`;

export function collectorLogPipelines(model: StackModel): CollectorLogPipelines | null {
  if (!model.logDestination || !model.enabled.otelCollector) return null;
  const parsing = parseStatements(model);
  return {
    lokiOtlpEndpoint: `${model.logDestination.url}/otlp`,
    containerLogs: collectorShipsContainerLogs(model),
    containerStatements: [
      ...containerStatements(),
      ...categoryStatements(model),
      // An obs-stack label on the container wins over the config's category for its service.
      `set(${attr("category")}, ${attr(LOG_LABELS.category)}) where ${attr(LOG_LABELS.category)} != nil and ${attr(LOG_LABELS.category)} != ""`,
      `delete_matching_keys(log.attributes, ${str(DOCKER_RECORD_KEYS)})`,
      ...parsing,
    ],
    otlpStatements: [
      `set(${attr("service")}, resource.attributes["service.name"]) where ${attr("service")} == nil and resource.attributes["service.name"] != nil`,
      ...categoryStatements(model),
      `set(${attr("level")}, ToLowerCase(log.severity_text)) where log.severity_text != ""`,
      ...parsing,
    ],
    dropConditions: model.config.logs.drop.map(({ pattern }) => `IsString(log.body) and IsMatch(log.body, ${str(pattern)})`),
    scrubStatements: scrubStatements(model),
    resourceStatements: [
      'set(resource.attributes["service.name"], resource.attributes["service"]) where resource.attributes["service.name"] == nil and resource.attributes["service"] != nil',
    ],
    indexLabels: LOG_INDEX_LABELS,
  };
}

/** The fluentd driver's record: container_name ("/name"), container_id, source, and the copied labels. */
function containerStatements(): string[] {
  const fromLabel = (target: string, label: string) => `set(${attr(target)}, ${attr(label)}) where ${attr(label)} != nil and ${attr(label)} != ""`;
  return [
    `set(${attr("container")}, ${attr("container_name")})`,
    `replace_pattern(${attr("container")}, "^/", "")`,
    // service: the obs-stack label when set, otherwise the Compose service, otherwise the container.
    `set(${attr("service")}, ${attr("container")})`,
    fromLabel("service", COMPOSE_LABELS.service),
    fromLabel("service", LOG_LABELS.service),
    fromLabel("compose_service", COMPOSE_LABELS.service),
    fromLabel("compose_project", COMPOSE_LABELS.project),
    `set(${attr("stream")}, ${attr("source")})`,
  ];
}

/** category: the config's category of the record's service, "app" for others. */
function categoryStatements(model: StackModel): string[] {
  const perService = model.config.services
    .filter((service) => service.logs.category !== DEFAULT_LOG_CATEGORY)
    .map((service) => `set(${attr("category")}, ${str(service.logs.category)}) where ${attr("service")} == ${str(service.name)}`);
  return [`set(${attr("category")}, ${str(DEFAULT_LOG_CATEGORY)})`, ...perService];
}

/** What the fluentd driver adds that is now a label or not worth keeping. */
const DOCKER_RECORD_KEYS = String.raw`^(io\.obs-stack\.|com\.docker\.compose\.|container_name$|source$|fluent\.tag$)`;

/** Attributes the scrub must leave alone: ids the pipeline extracted (a numeric request id is no phone number). */
const EXTRACTED_IDS = ["trace_id", "request_id"];

/**
 * Each rule on the body (a string, or the top-level string values of a structured body) and on
 * the record's attributes, as Promtail scrubs the line. The labels are resource attributes by
 * now (groupbyattrs runs first), and the extracted ids are set aside meanwhile.
 */
function scrubStatements(model: StackModel): string[] {
  const rules = scrubRules(model.config.logs).map(({ pattern, replacement }) => toReplaceAll(pattern, replacement));
  if (rules.length === 0) return [];
  const cache = (key: string) => `log.cache[${str(key)}]`;
  return [
    ...EXTRACTED_IDS.flatMap((key) => [`set(${cache(key)}, ${attr(key)}) where ${attr(key)} != nil`, `delete_key(log.attributes, ${str(key)})`]),
    ...rules.flatMap(({ pattern, replacement }) => [
      `replace_pattern(log.body, ${str(pattern)}, ${str(replacement)}) where IsString(log.body)`,
      `replace_all_patterns(log.body, "value", ${str(pattern)}, ${str(replacement)}) where IsMap(log.body)`,
      `replace_all_patterns(log.attributes, "value", ${str(pattern)}, ${str(replacement)})`,
    ]),
    ...EXTRACTED_IDS.map((key) => `set(${attr(key)}, ${cache(key)}) where ${cache(key)} != nil`),
  ];
}

/** JSON or logfmt bodies: level (lower-cased) as a label, trace_id and request_id as structured metadata. */
function parseStatements(model: StackModel): string[] {
  const logfmt = model.config.services.filter((service) => service.logs.format === "logfmt").map((service) => service.name);
  const fields = ["trace_id", "request_id"].map((field) => `set(${attr(field)}, log.cache[${str(field)}]) where IsString(log.cache[${str(field)}])`);
  return [
    String.raw`merge_maps(log.cache, ParseJSON(log.body), "upsert") where IsString(log.body) and IsMatch(log.body, "^\\s*\\{")`,
    ...logfmt.map((name) => `merge_maps(log.cache, ParseKeyValue(log.body), "upsert") where IsString(log.body) and ${attr("service")} == ${str(name)}`),
    `set(${attr("level")}, ToLowerCase(log.cache["level"])) where IsString(log.cache["level"])`,
    ...fields,
    `set(log.severity_text, ${attr("level")}) where log.severity_text == "" and ${attr("level")} != nil`,
  ];
}
