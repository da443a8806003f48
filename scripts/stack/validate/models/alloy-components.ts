/**
 * What the Alloy model knows about Alloy v1.15: every component name it ships (its component
 * reference, docs/sources/reference/components at v1.15.1) and config blocks, and — for the
 * components and stages obs-stack renders — their arguments, nested blocks and exports.
 */

/** Value types of the arguments we check; `targets` is `list(map(string))`, `receivers` is `list(LogsReceiver)`. */
export type AlloyType = "string" | "number" | "bool" | "duration" | "map(string)" | "list(string)" | "targets" | "receivers" | "any";

/** Export types other components can consume. */
export type AlloyExportType = "targets" | "LogsReceiver" | "RelabelRules";

export interface ArgumentSpec {
  type: AlloyType;
  required?: boolean;
}

export interface BlockSpec {
  arguments: Readonly<Record<string, ArgumentSpec>>;
  blocks?: Readonly<Record<string, NestedBlockSpec>>;
}

export interface NestedBlockSpec extends BlockSpec {
  /** May appear more than once (rule, endpoint, every stage). */
  repeatable?: boolean;
  required?: boolean;
}

export interface ComponentSpec extends BlockSpec {
  exports: Readonly<Record<string, AlloyExportType>>;
}

export const ALLOY_COMPONENT_NAMES: readonly string[] = [
  "beyla.ebpf", "database_observability.mysql", "database_observability.postgres", "discovery.azure",
  "discovery.consul", "discovery.consulagent", "discovery.digitalocean", "discovery.dns", "discovery.docker",
  "discovery.dockerswarm", "discovery.ec2", "discovery.eureka", "discovery.file", "discovery.gce",
  "discovery.hetzner", "discovery.http", "discovery.ionos", "discovery.kubelet", "discovery.kubernetes",
  "discovery.kuma", "discovery.lightsail", "discovery.linode", "discovery.marathon", "discovery.nerve",
  "discovery.nomad", "discovery.openstack", "discovery.ovhcloud", "discovery.process", "discovery.puppetdb",
  "discovery.relabel", "discovery.scaleway", "discovery.serverset", "discovery.triton", "discovery.uyuni",
  "faro.receiver", "local.file", "local.file_match", "loki.echo", "loki.enrich", "loki.process",
  "loki.relabel", "loki.rules.kubernetes", "loki.secretfilter", "loki.source.api", "loki.source.awsfirehose",
  "loki.source.azure_event_hubs", "loki.source.cloudflare", "loki.source.docker", "loki.source.file",
  "loki.source.gcplog", "loki.source.gelf", "loki.source.heroku", "loki.source.journal", "loki.source.kafka",
  "loki.source.kubernetes", "loki.source.kubernetes_events", "loki.source.podlogs", "loki.source.syslog",
  "loki.source.windowsevent", "loki.write", "mimir.alerts.kubernetes", "mimir.rules.kubernetes",
  "otelcol.auth.basic", "otelcol.auth.bearer", "otelcol.auth.headers", "otelcol.auth.oauth2",
  "otelcol.auth.sigv4", "otelcol.connector.count", "otelcol.connector.host_info",
  "otelcol.connector.servicegraph", "otelcol.connector.spanlogs", "otelcol.connector.spanmetrics",
  "otelcol.exporter.awss3", "otelcol.exporter.datadog", "otelcol.exporter.debug", "otelcol.exporter.faro",
  "otelcol.exporter.file", "otelcol.exporter.googlecloud", "otelcol.exporter.googlecloudpubsub",
  "otelcol.exporter.kafka", "otelcol.exporter.loadbalancing", "otelcol.exporter.loki", "otelcol.exporter.otlp",
  "otelcol.exporter.otlphttp", "otelcol.exporter.prometheus", "otelcol.exporter.splunkhec",
  "otelcol.exporter.syslog", "otelcol.extension.jaeger_remote_sampling", "otelcol.processor.attributes",
  "otelcol.processor.batch", "otelcol.processor.cumulativetodelta", "otelcol.processor.deltatocumulative",
  "otelcol.processor.discovery", "otelcol.processor.filter", "otelcol.processor.groupbyattrs",
  "otelcol.processor.interval", "otelcol.processor.k8sattributes", "otelcol.processor.memory_limiter",
  "otelcol.processor.metric_start_time", "otelcol.processor.probabilistic_sampler",
  "otelcol.processor.resourcedetection", "otelcol.processor.span", "otelcol.processor.tail_sampling",
  "otelcol.processor.transform", "otelcol.receiver.awscloudwatch", "otelcol.receiver.awsecscontainermetrics",
  "otelcol.receiver.awss3", "otelcol.receiver.cloudflare", "otelcol.receiver.datadog", "otelcol.receiver.faro",
  "otelcol.receiver.file_stats", "otelcol.receiver.filelog", "otelcol.receiver.fluentforward",
  "otelcol.receiver.googlecloudpubsub", "otelcol.receiver.influxdb", "otelcol.receiver.jaeger",
  "otelcol.receiver.kafka", "otelcol.receiver.loki", "otelcol.receiver.opencensus", "otelcol.receiver.otlp",
  "otelcol.receiver.prometheus", "otelcol.receiver.solace", "otelcol.receiver.splunkhec",
  "otelcol.receiver.syslog", "otelcol.receiver.tcplog", "otelcol.receiver.vcenter", "otelcol.receiver.zipkin",
  "otelcol.storage.file", "prometheus.echo", "prometheus.enrich", "prometheus.exporter.apache",
  "prometheus.exporter.azure", "prometheus.exporter.blackbox", "prometheus.exporter.cadvisor",
  "prometheus.exporter.catchpoint", "prometheus.exporter.cloudwatch", "prometheus.exporter.consul",
  "prometheus.exporter.databricks", "prometheus.exporter.dnsmasq", "prometheus.exporter.elasticsearch",
  "prometheus.exporter.gcp", "prometheus.exporter.github", "prometheus.exporter.kafka",
  "prometheus.exporter.memcached", "prometheus.exporter.mongodb", "prometheus.exporter.mssql",
  "prometheus.exporter.mysql", "prometheus.exporter.oracledb", "prometheus.exporter.postgres",
  "prometheus.exporter.process", "prometheus.exporter.redis", "prometheus.exporter.self",
  "prometheus.exporter.snmp", "prometheus.exporter.snowflake", "prometheus.exporter.squid",
  "prometheus.exporter.static", "prometheus.exporter.statsd", "prometheus.exporter.unix",
  "prometheus.exporter.windows", "prometheus.operator.podmonitors", "prometheus.operator.probes",
  "prometheus.operator.scrapeconfigs", "prometheus.operator.servicemonitors", "prometheus.receive_http",
  "prometheus.relabel", "prometheus.remote_write", "prometheus.scrape", "prometheus.write.queue",
  "pyroscope.ebpf", "pyroscope.enrich", "pyroscope.java", "pyroscope.receive_http", "pyroscope.relabel",
  "pyroscope.scrape", "pyroscope.write", "remote.http", "remote.kubernetes.configmap",
  "remote.kubernetes.secret", "remote.s3", "remote.vault",
];

/** Top-level blocks that are not components (the config-blocks reference). */
export const ALLOY_CONFIG_BLOCKS: readonly string[] = [
  "argument", "declare", "export", "foreach", "http", "import.file", "import.git", "import.http", "import.string", "livedebugging",
  "logging", "remotecfg", "tracing",
];

const optional = (type: AlloyType): ArgumentSpec => ({ type });
const required = (type: AlloyType): ArgumentSpec => ({ type, required: true });

/** A stage whose body the model does not check: its name is valid, its arguments are Alloy's to judge. */
const UNCHECKED_STAGE: NestedBlockSpec = { arguments: {}, repeatable: true };
const UNCHECKED_STAGE_NAMES = [
  "stage.cri", "stage.decolorize", "stage.docker", "stage.eventlogmessage", "stage.geoip", "stage.label_drop", "stage.label_keep",
  "stage.limit", "stage.luhn", "stage.metrics", "stage.multiline", "stage.output", "stage.pack", "stage.pattern", "stage.regex",
  "stage.sampling", "stage.static_labels", "stage.structured_metadata_drop", "stage.tenant", "stage.timestamp", "stage.truncate",
  "stage.windowsevent",
];

export function isUncheckedStage(spec: NestedBlockSpec): boolean {
  return spec === UNCHECKED_STAGE;
}

/** Every `stage.*` block loki.process accepts, also nested inside `stage.match`. */
const STAGE_BLOCKS: Readonly<Record<string, NestedBlockSpec>> = {
  ...Object.fromEntries(UNCHECKED_STAGE_NAMES.map((name) => [name, UNCHECKED_STAGE])),
  "stage.drop": {
    repeatable: true,
    arguments: {
      source: optional("string"),
      separator: optional("string"),
      expression: optional("string"),
      value: optional("string"),
      older_than: optional("duration"),
      longer_than: optional("string"),
      drop_counter_reason: optional("string"),
    },
  },
  "stage.json": { repeatable: true, arguments: { expressions: required("map(string)"), source: optional("string"), drop_malformed: optional("bool") } },
  "stage.labels": { repeatable: true, arguments: { values: optional("map(string)"), source_type: optional("string") } },
  "stage.logfmt": { repeatable: true, arguments: { mapping: required("map(string)"), source: optional("string") } },
  "stage.replace": { repeatable: true, arguments: { expression: required("string"), source: optional("string"), replace: optional("string") } },
  "stage.structured_metadata": { repeatable: true, arguments: { values: optional("map(string)"), regex: optional("string") } },
  "stage.template": { repeatable: true, arguments: { source: required("string"), template: required("string") } },
  "stage.match": {
    repeatable: true,
    arguments: { selector: required("string"), action: optional("string"), drop_counter_reason: optional("string"), pipeline_name: optional("string") },
    // Nests every stage, itself included.
    get blocks() {
      return STAGE_BLOCKS;
    },
  },
};

const RELABEL_RULE: NestedBlockSpec = {
  repeatable: true,
  arguments: {
    action: optional("string"),
    modulus: optional("number"),
    regex: optional("string"),
    replacement: optional("string"),
    separator: optional("string"),
    source_labels: optional("list(string)"),
    target_label: optional("string"),
  },
};

/** The components obs-stack renders, with the arguments, blocks and exports their reference pages list. */
export const MODELLED_COMPONENTS: Readonly<Record<string, ComponentSpec>> = {
  "discovery.docker": {
    arguments: {
      host: required("string"),
      port: optional("number"),
      host_networking_host: optional("string"),
      match_first_network: optional("bool"),
      refresh_interval: optional("duration"),
      bearer_token_file: optional("string"),
      enable_http2: optional("bool"),
      follow_redirects: optional("bool"),
      proxy_url: optional("string"),
      no_proxy: optional("string"),
      proxy_from_environment: optional("bool"),
    },
    blocks: { filter: { repeatable: true, arguments: { name: required("string"), values: required("list(string)") } } },
    exports: { targets: "targets" },
  },
  "discovery.relabel": {
    arguments: { targets: required("targets") },
    blocks: { rule: RELABEL_RULE },
    exports: { output: "targets", rules: "RelabelRules" },
  },
  "loki.source.docker": {
    arguments: {
      host: required("string"),
      targets: required("targets"),
      forward_to: required("receivers"),
      labels: optional("map(string)"),
      refresh_interval: optional("duration"),
      relabel_rules: optional("any"),
    },
    exports: {},
  },
  "loki.process": {
    arguments: { forward_to: required("receivers") },
    blocks: STAGE_BLOCKS,
    exports: { receiver: "LogsReceiver" },
  },
  "loki.write": {
    arguments: { external_labels: optional("map(string)"), max_streams: optional("number") },
    blocks: {
      endpoint: {
        repeatable: true,
        arguments: {
          url: required("string"),
          name: optional("string"),
          batch_size: optional("string"),
          batch_wait: optional("duration"),
          remote_timeout: optional("duration"),
          min_backoff_period: optional("duration"),
          max_backoff_period: optional("duration"),
          max_backoff_retries: optional("number"),
          retry_on_http_429: optional("bool"),
          tenant_id: optional("string"),
          headers: optional("map(string)"),
          bearer_token_file: optional("string"),
          enable_http2: optional("bool"),
          follow_redirects: optional("bool"),
          proxy_url: optional("string"),
        },
      },
    },
    exports: { receiver: "LogsReceiver" },
  },
};
