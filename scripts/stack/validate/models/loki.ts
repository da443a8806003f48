/**
 * Typed model of the loki.yml obs-stack renders, at the pinned Loki (3.7): the keys Loki accepts in
 * each block (strictly — Loki refuses unknown keys at startup), the types of the ones we render, and
 * the cross-field rules Loki enforces when it starts or that decide whether our settings take effect
 * (facts from Loki's configuration reference, storage/retention docs and startup error messages).
 */
import { z } from "zod";
import { IMAGE_PINS } from "../../catalog/components.ts";
import { documentedBlock } from "./documented-block.ts";
import { durationSeconds, goDuration, prometheusDuration } from "./durations.ts";
import { checkYamlFile, finding, type ModelFinding } from "./findings.ts";
import { LOKI_DOCUMENTED_KEYS } from "./loki-keys.ts";
import { re2SyntaxError } from "../../syntax/re2.ts";
import { streamSelectorProblem } from "./stream-selector.ts";

export const LOKI_MODEL_VERSION = IMAGE_PINS.loki.tag;

const block = <Shape extends z.ZodRawShape>(name: string, typed: Shape) => documentedBlock(`Loki ${LOKI_MODEL_VERSION}`, LOKI_DOCUMENTED_KEYS[name], typed);

const port = z.number().int().min(0).max(65535);
const DAY_SECONDS = 86_400;
/** Index types Loki 3 can still write; the others in the reference are deprecated read-only stores. */
const INDEX_STORES = ["tsdb", "boltdb-shipper"] as const;
const OBJECT_STORES = ["filesystem", "s3", "aws", "gcs", "azure", "swift", "bos", "alibabacloud", "cos"] as const;

const re2 = z.string().superRefine((pattern, context) => {
  const problem = re2SyntaxError(pattern);
  if (problem) context.addIssue({ code: "custom", message: `not a valid RE2 regex: ${problem}` });
});

/** One `attributes_config` rule: an action for the attributes it names or matches (exactly one of the two). */
const attributesRule = (actions: readonly [string, ...string[]]) =>
  z
    .strictObject({
      // Loki defaults an empty action to structured_metadata.
      action: z.enum(actions, { error: (issue) => `action ${JSON.stringify(issue.input)} is not allowed here; use one of ${actions.join(", ")}` }).optional(),
      attributes: z.array(z.string().min(1)).optional(),
      regex: re2.optional(),
    })
    .refine((rule) => (rule.attributes?.length ?? 0) > 0 || rule.regex !== undefined, { error: "attributes or regex must be set" })
    .refine((rule) => !((rule.attributes?.length ?? 0) > 0 && rule.regex !== undefined), { error: "only one of attributes or regex may be set" });

const ALL_ACTIONS = ["index_label", "structured_metadata", "drop"] as const;
// Loki 3.5+ (#16673) lets log attributes become index labels too; scope attributes never can.
const SCOPE_ACTIONS = ["structured_metadata", "drop"] as const;

const otlpConfig = z.strictObject({
  resource_attributes: z
    .strictObject({
      ignore_defaults: z.boolean().optional(),
      attributes_config: z.array(attributesRule(ALL_ACTIONS)).optional(),
    })
    .optional(),
  scope_attributes: z.array(attributesRule(SCOPE_ACTIONS)).optional(),
  log_attributes: z.array(attributesRule(ALL_ACTIONS)).optional(),
  severity_text_as_label: z.boolean().optional(),
});

const periodConfig = block("period_config", {
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date in YYYY-MM-DD format"),
  store: z.enum(INDEX_STORES, { error: (issue) => `unrecognized index store ${JSON.stringify(issue.input)}; use tsdb` }),
  object_store: z.enum(OBJECT_STORES, { error: (issue) => `unrecognized object store ${JSON.stringify(issue.input)}` }),
  schema: z.string().regex(/^v\d+$/, 'must be a schema version such as "v13"'),
  index: block("period_config.index", { prefix: z.string().optional(), period: goDuration.optional() }).optional(),
});

const lokiConfig = block("", {
  auth_enabled: z.boolean().optional(),
  server: block("server", {
    http_listen_port: port.optional(),
    grpc_listen_port: port.optional(),
    log_level: z.enum(["debug", "info", "warn", "error"]).optional(),
  }).optional(),
  common: block("common", {
    instance_addr: z.string().optional(),
    path_prefix: z.string().optional(),
    replication_factor: z.number().int().min(1).optional(),
    storage: block("common.storage", {
      filesystem: block("common.storage.filesystem", { chunks_directory: z.string().optional(), rules_directory: z.string().optional() }).optional(),
    }).optional(),
    ring: block("common.ring", {
      kvstore: block("common.ring.kvstore", { store: z.enum(["consul", "etcd", "inmemory", "memberlist", "multi"]).optional() }).optional(),
    }).optional(),
  }).optional(),
  schema_config: z.strictObject({ configs: z.array(periodConfig).min(1, "needs at least one period config") }),
  limits_config: block("limits_config", {
    retention_period: prometheusDuration.optional(),
    retention_stream: z
      .array(z.strictObject({ selector: z.string(), priority: z.number().int().min(0).optional(), period: prometheusDuration }))
      .optional(),
    allow_structured_metadata: z.boolean().optional(),
    volume_enabled: z.boolean().optional(),
    discover_log_levels: z.boolean().optional(),
    reject_old_samples: z.boolean().optional(),
    reject_old_samples_max_age: prometheusDuration.optional(),
    otlp_config: otlpConfig.optional(),
  }).optional(),
  compactor: block("compactor", {
    working_directory: z.string().optional(),
    compaction_interval: goDuration.optional(),
    retention_enabled: z.boolean().optional(),
    retention_delete_delay: goDuration.optional(),
    delete_request_store: z.string().optional(),
  }).optional(),
  pattern_ingester: block("pattern_ingester", { enabled: z.boolean().optional() }).optional(),
  query_range: block("query_range", {
    results_cache: block("query_range.results_cache", {
      cache: block("cache_config", {
        embedded_cache: block("cache_config.embedded_cache", { enabled: z.boolean().optional(), max_size_mb: z.number().int().min(1).optional() }).optional(),
      }).optional(),
    }).optional(),
  }).optional(),
  ruler: block("ruler", { alertmanager_url: z.url().optional() }).optional(),
  analytics: block("analytics", { reporting_enabled: z.boolean().optional() }).optional(),
});

type LokiConfig = z.output<typeof lokiConfig>;

export function checkLokiConfig(text: string): ModelFinding[] {
  return checkYamlFile(text, lokiConfig, (config) => [
    ...periodRules(config),
    ...structuredMetadataRules(config),
    ...retentionRules(config),
    ...compactorRules(config),
  ]);
}

/** The period in force today: the last one whose `from` has passed (or the first, for a future-only schema). */
function activePeriod(config: LokiConfig): { index: number; period: LokiConfig["schema_config"]["configs"][number] } {
  const today = new Date().toISOString().slice(0, 10);
  const periods = config.schema_config.configs;
  let index = 0;
  periods.forEach((period, position) => {
    if (period.from <= today) index = position;
  });
  return { index, period: periods[index]! };
}

function structuredMetadataRules(config: LokiConfig): ModelFinding[] {
  const limits = config.limits_config;
  const otlpConfigured = limits?.otlp_config !== undefined;
  // Loki's default is true, so leaving it out still needs a v13 tsdb schema.
  const allowed = limits?.allow_structured_metadata ?? true;
  const findings: ModelFinding[] = [];
  if (otlpConfigured && !allowed)
    findings.push(finding(["limits_config", "allow_structured_metadata"], "is false, but OTLP ingestion (limits_config.otlp_config) stores attributes as structured metadata and Loki rejects OTLP pushes without it"));
  if (!allowed) return findings;
  const { index, period } = activePeriod(config);
  const reason = otlpConfigured ? "structured metadata and OTLP ingestion" : "structured metadata (limits_config.allow_structured_metadata, default true)";
  if (Number(period.schema.slice(1)) < 13)
    findings.push(finding(["schema_config", "configs", index, "schema"], `is ${period.schema}: ${reason} need schema v13 or newer`, "add a period with schema v13 from a future date, or set allow_structured_metadata: false"));
  if (period.store !== "tsdb") findings.push(finding(["schema_config", "configs", index, "store"], `is ${period.store}: ${reason} need the tsdb index`));
  return findings;
}

function retentionRules(config: LokiConfig): ModelFinding[] {
  const limits = config.limits_config;
  const findings: ModelFinding[] = [];
  const retentionSet = (limits?.retention_period !== undefined && durationSeconds(limits.retention_period) > 0) || (limits?.retention_stream?.length ?? 0) > 0;
  if (limits?.retention_period !== undefined) {
    const seconds = durationSeconds(limits.retention_period);
    if (seconds > 0 && seconds < DAY_SECONDS) findings.push(finding(["limits_config", "retention_period"], `is ${limits.retention_period}: retention must be at least 24h (0 disables it)`));
  }
  limits?.retention_stream?.forEach((rule, index) => {
    const problem = streamSelectorProblem(rule.selector, { allowPipeline: false });
    if (problem) findings.push(finding(["limits_config", "retention_stream", index, "selector"], problem, "only label matchers are allowed"));
    if (durationSeconds(rule.period) < DAY_SECONDS) findings.push(finding(["limits_config", "retention_stream", index, "period"], `is ${rule.period}: retention must be at least 24h`));
  });
  if (retentionSet && config.compactor?.retention_enabled !== true)
    findings.push(finding(["compactor", "retention_enabled"], "must be true: limits_config sets retention, which only the compactor applies"));
  if (config.compactor?.retention_enabled === true) {
    if (!config.compactor.delete_request_store)
      findings.push(finding(["compactor", "delete_request_store"], "is required when retention is enabled", "name the object store, e.g. filesystem"));
  }
  return findings;
}

function periodRules(config: LokiConfig): ModelFinding[] {
  return config.schema_config.configs.flatMap((period, index) => {
    const findings: ModelFinding[] = [];
    const previous = config.schema_config.configs[index - 1];
    if (previous && period.from <= previous.from)
      findings.push(finding(["schema_config", "configs", index, "from"], `is ${period.from}: periods must start in increasing date order (the one before starts ${previous.from})`));
    // tsdb and boltdb-shipper build one index table per day; retention relies on it too.
    if (period.index?.period !== undefined && durationSeconds(period.index.period) !== DAY_SECONDS)
      findings.push(finding(["schema_config", "configs", index, "index", "period"], `is ${period.index.period}: the ${period.store} index needs a 24h period`));
    return findings;
  });
}

function compactorRules(config: LokiConfig): ModelFinding[] {
  const findings: ModelFinding[] = [];
  if (config.compactor && !config.compactor.working_directory && !config.common?.path_prefix)
    findings.push(finding(["compactor", "working_directory"], "is empty and common.path_prefix is not set"));
  const store = config.compactor?.delete_request_store;
  if (store && !(OBJECT_STORES as readonly string[]).includes(store))
    findings.push(finding(["compactor", "delete_request_store"], `${JSON.stringify(store)} is not an object store type (${OBJECT_STORES.join(", ")})`));
  return findings;
}
