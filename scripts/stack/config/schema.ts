/**
 * The single source of truth for the shape of stack.config.ts. Types are inferred from it,
 * defaults live here, and the README's config reference is generated from it.
 */
import { z } from "zod";
import {
  AUXILIARY_IMAGE_NAMES,
  COMPONENTS,
  COMPONENT_NAMES,
  isLogAgent,
  LOG_COLLECTORS,
  type ComponentName,
  type ImageName,
} from "../catalog/components.ts";
import {
  captureGroupCount,
  duration,
  envVarName,
  formatOfLine,
  hostFilePath,
  httpHeaderName,
  hostName,
  hostPort,
  httpUrl,
  imageReference,
  type IssueParams,
  ipAddress,
  labelMatcher,
  labelName,
  memory,
  port,
  ratio,
  re2Regex,
  refuse,
  slug,
  text,
  textLine,
  timeZone,
  urlPath,
} from "../value-types.ts";
import { re2SyntaxError } from "../syntax/re2.ts";
import { forbiddenCharacter } from "../syntax/text.ts";
import { syntheticsSchema } from "./synthetics-schema.ts";
import { STACK_LABELS } from "./stack-labels.ts";
import { SCRUB_PRESET_NAMES } from "../logs/scrub-rules.ts";
import { scrubPatternProblem } from "../logs/scrub-rewrite.ts";

const componentEnabled = (byDefault: boolean) =>
  z.boolean().default(byDefault).describe("Run this component (its service, configs, rules and dashboards).");

/** No default: whether a log collector runs follows logs.collector unless it is set (see config/rules.ts). */
const logCollectorEnabled = z
  .boolean()
  .optional()
  .describe("Run this log collector. Omitted: it runs when logs.collector names it; false turns log collection off.");

function component<Extra extends z.ZodRawShape>(name: ComponentName, extra: Extra) {
  const defaults = COMPONENTS[name];
  const shape = z
    .strictObject({
      enabled: isLogAgent(name) ? logCollectorEnabled : componentEnabled(defaults.enabledByDefault),
      port: port.default(defaults.port).describe("Host port the component is published on."),
      bindAddress: ipAddress.optional().describe("Host address to publish on; defaults to the top-level bindAddress (127.0.0.1)."),
      memory: memory.default(defaults.memory).describe("Container memory limit."),
      ...extra,
    })
    .superRefine(refuseUnsafeSettings);
  // Every field of a component has a default, so an omitted component is a valid empty object.
  return shape.prefault({} as z.input<typeof shape>);
}

/**
 * A component's own settings (its catalog entry's, such as Grafana's admin login) reach its
 * container through compose.yaml, as flags and environment: Compose interpolates "$" there (and
 * Grafana expands "$__file{…}" in its settings again), and each value sits on one line. So a string
 * setting must not hold "$", a line break or a control character: it would not arrive as written.
 */
function refuseUnsafeSettings(settings: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [key, value] of Object.entries(settings)) {
    if (typeof value !== "string") continue;
    const found = forbiddenCharacter(value, "line");
    const issue = found
      ? { message: `contains ${found.description} at position ${found.index + 1}`, hint: "component settings sit on one line of compose.yaml: remove line breaks, tabs and control characters" }
      : value.includes("$")
        ? { message: 'must not contain "$"', hint: 'Compose would expand it in compose.yaml, and Grafana again in its own settings ("$__file{…}")' }
        : undefined;
    if (issue) ctx.addIssue({ code: "custom", path: [key], message: issue.message, params: { hint: issue.hint } satisfies IssueParams });
  }
}

type ComponentSchemas = { [Name in ComponentName]: ReturnType<typeof component<(typeof COMPONENTS)[Name]["settings"]>> };

const components = z
  .strictObject(Object.fromEntries(COMPONENT_NAMES.map((name) => [name, component(name, COMPONENTS[name].settings)])) as ComponentSchemas)
  .prefault({});

const images = z.strictObject(
  Object.fromEntries([...COMPONENT_NAMES, ...AUXILIARY_IMAGE_NAMES].map((name) => [name, imageReference.optional()])) as Record<
    ImageName,
    z.ZodOptional<typeof imageReference>
  >,
);

/** A label of the user's own on a service's series: not one the stack sets or queries itself (see stack-labels.ts). */
const serviceLabelName = labelName.superRefine(
  refuse((name: string) => {
    const why = STACK_LABELS[name];
    return why && { message: `is a label the stack sets itself: ${why}`, hint: `name your label differently, e.g. "${name}_name" or "team"` };
  }),
);

/** Prometheus's names of the exposition formats (scrape_config's fallback_scrape_protocol). */
const SCRAPE_PROTOCOLS = ["PrometheusText0.0.4", "PrometheusText1.0.0", "OpenMetricsText0.0.1", "OpenMetricsText1.0.0", "PrometheusProto"] as const;

const service = z.strictObject({
  name: slug.describe("Unique service name; becomes the `service` label."),
  url: httpUrl.describe('Base URL Prometheus and the probes use, e.g. "http://api:8080" or "http://host.docker.internal:8080".'),
  metricsPath: z
    .union([urlPath, z.literal(false)])
    .default("/metrics")
    .describe("Path of the Prometheus metrics endpoint, or false if the service exposes none."),
  scrapeInterval: duration.optional(),
  fallbackScrapeProtocol: z
    .union([z.enum(SCRAPE_PROTOCOLS), z.literal(false)])
    .default("PrometheusText0.0.4")
    .describe(
      'Format Prometheus parses the metrics as when the response has no or an unknown Content-Type, as from a bare Python or shell endpoint; Prometheus 3 otherwise fails the scrape ("sending blank Content-Type", "received unsupported Content-Type"). false: fail such scrapes.',
    ),
  health: z
    .strictObject({
      live: urlPath.optional().describe("Liveness endpoint, probed by blackbox."),
      ready: urlPath.optional().describe("Readiness endpoint, probed by blackbox."),
      detailed: urlPath.optional().describe('Detailed health endpoint returning JSON with "status": "ok".'),
    })
    .prefault({}),
  labels: z.record(serviceLabelName, text).default({}).describe("Extra labels on every series of this service."),
  slo: z
    .strictObject({
      availability: ratio.optional().describe("Target ratio of successful requests, e.g. 0.999."),
      latency: z
        .strictObject({
          threshold: duration.describe('Requests faster than this are "good", e.g. "300ms".'),
          target: ratio.describe("Target ratio of good requests, e.g. 0.99."),
        })
        .optional(),
      window: duration.default("30d").describe("SLO window."),
      sli: z
        .strictObject({
          metric: z
            .string()
            .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "must be a Prometheus metric name")
            .default("http_server_request_duration_seconds")
            .describe("Request-duration histogram (seconds) whose _count and _bucket series are the SLI; the default is the OpenTelemetry HTTP server metric."),
          errorMatcher: labelMatcher
            .default('http_response_status_code=~"5.."')
            .describe("Label matcher selecting failed requests."),
        })
        .prefault({}),
    })
    .optional(),
  logs: z
    .strictObject({
      format: z.enum(["json", "logfmt", "text"]).default("json"),
      category: slug.default("app").describe("Log category; selects the retention period in logs.retention."),
    })
    .prefault({}),
  synthetics: syntheticsSchema.describe("Synthetic checks: continuous blackbox probes and on-demand k6 runs."),
});

const receiverName = text;

const receiver = z.strictObject({
  name: receiverName,
  slack: z
    .strictObject({
      webhookUrlEnv: envVarName,
      channel: text.optional(),
    })
    .optional(),
  pagerduty: z.strictObject({ routingKeyEnv: envVarName }).optional(),
  email: z
    .strictObject({
      to: z.array(z.email("must be an email address")).min(1, "needs at least one address"),
      from: z.email("must be an email address"),
      smarthost: hostPort,
      authUsername: text.optional(),
      authPasswordEnv: envVarName.optional(),
      requireTls: z.boolean().default(true),
    })
    .optional(),
  webhook: z
    .strictObject({
      url: httpUrl.optional().describe("A URL without secrets; use urlEnv when the URL carries a token."),
      urlEnv: envVarName.optional(),
    })
    .optional(),
  opsgenie: z
    .strictObject({
      apiKeyEnv: envVarName,
      apiUrl: httpUrl.optional(),
    })
    .optional(),
});

export const SEVERITIES = ["critical", "warning", "info"] as const;
/** The two receiver groups the default routing tree notifies (see alerting.paging and alerting.chat). */
export const RECEIVER_GROUPS = ["paging", "chat"] as const;
/** Names of the time intervals alerting.businessHours defines. */
export const BUSINESS_HOURS = "business-hours";
export const OUT_OF_HOURS = "out-of-hours";

const route = z.strictObject({
  receiver: receiverName.describe("Receiver of the alerts this route matches."),
  severity: z.enum(SEVERITIES).optional().describe("Match only alerts of this severity."),
  category: text.optional().describe('Match only alerts of this category label, e.g. "security".'),
  matchers: z.array(labelMatcher).default([]).describe('Further Alertmanager matchers, e.g. ["team=\\"payments\\""].'),
  continue: z.boolean().default(false).describe("Keep matching the routes after this one (yours, then the defaults)."),
  activeTimeIntervals: z
    .array(text)
    .default([])
    .describe(`Notify only inside these time intervals (alerting.timeIntervals, "${BUSINESS_HOURS}", "${OUT_OF_HOURS}").`),
  muteTimeIntervals: z.array(text).default([]).describe("Stay silent inside these time intervals."),
  repeatInterval: duration.optional().describe("Overrides alerting.repeatInterval for this route."),
});

const WEEKDAYS = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const weekdayRange = z
  .string()
  .regex(new RegExp(`^${WEEKDAYS}(?::${WEEKDAYS})?$`), 'must be a weekday or range such as "monday:friday"');
const clockTime = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be "HH:MM" between "00:00" and "24:00"');
const location = timeZone.default("UTC").describe('IANA time zone as Go names it (case-sensitive), e.g. "Europe/Berlin".');

const timeInterval = z.strictObject({
  name: text.describe("Name routes use in activeTimeIntervals and muteTimeIntervals."),
  weekdays: z.array(weekdayRange).default([]).describe('Days or ranges, e.g. ["monday:friday"]; empty means every day. Weeks start on Sunday.'),
  times: z
    .array(
      z.strictObject({
        start: clockTime.describe("Inclusive start time of day."),
        end: clockTime.describe("Exclusive end time of day."),
      }),
    )
    .default([])
    .describe("Times of day; empty means all day."),
  location,
});

/** Alertmanager's group_by: label names, or "..." for all of them. */
const groupByLabel = formatOfLine((label) =>
  label === "..." || labelName.safeParse(label).success ? undefined : 'must be a label name, or "..." to group by every label',
);

/** Per-severity delivery of the default routing tree; critical and warning differ only in defaults. */
function severityPolicy(defaults: { notify: Array<(typeof RECEIVER_GROUPS)[number]>; repeatInterval: string }) {
  return z
    .strictObject({
      notify: z
        .array(z.enum(RECEIVER_GROUPS))
        .default(defaults.notify)
        .describe(
          'Receiver groups to notify: ["paging"], ["chat"], both, or [] for nobody (the alerts are dropped, not sent to defaultReceiver). Paging falls back to chat while no receiver pages.',
        ),
      businessHoursOnly: z
        .boolean()
        .default(false)
        .describe("Notify only during alerting.businessHours; alerts still firing when business hours begin are sent then."),
      groupWait: duration
        .optional()
        .describe("Wait this long for more alerts of a new group before the first notification. Omitted: derived from alerting.latencyBudget (critical 10s, warning and info 30s with the default budgets)."),
      groupInterval: duration.default("5m").describe("Wait this long before notifying about changes to a group already notified."),
      repeatInterval: duration.default(defaults.repeatInterval).describe("Re-send a notification for alerts still firing after this long."),
    })
    .prefault({});
}

const categoryRoute = z.strictObject({
  receivers: z.array(receiverName).min(1, "needs at least one receiver").describe("Receivers that own alerts of this category."),
  continue: z
    .boolean()
    .default(false)
    .describe("Also notify the severity defaults (paging, chat) after these receivers."),
});

/** See resolve/alert-latency.ts for what the budget bounds and how the settings are derived from it. */
const latencyBudget = z
  .strictObject({
    critical: duration.default("90s").describe("Longest time from a failure to the notification of a critical alert."),
    warning: duration.default("5m").describe("Longest time from a failure to the notification of a warning alert."),
  })
  .prefault({})
  .describe(
    "Worst case from the moment a condition becomes true to Alertmanager's notification: scrape (or probe) interval + scrape timeout + evaluation interval + for + group_wait. Unset intervals, `for` durations and group waits are derived to meet it; generate refuses settings that cannot.",
  );

const alerting = z
  .strictObject({
    receivers: z
      .array(receiver)
      .default([])
      .describe("Where notifications go (Slack, PagerDuty, email, webhook, Opsgenie); secrets are named by environment variable."),
    defaultReceiver: receiverName
      .optional()
      .describe("Receiver for alerts no route matches (e.g. alerts without a severity label); none means they are dropped."),
    routes: z
      .array(route)
      .default([])
      .describe("Your routes. They come first and win: an alert they match reaches the defaults only through `continue`."),
    paging: z
      .array(receiverName)
      .optional()
      .describe("Receivers that page a person. Omitted: every receiver with a pagerduty or opsgenie integration."),
    chat: z
      .array(receiverName)
      .optional()
      .describe("Receivers that post to a team channel or inbox. Omitted: every receiver with slack, email or webhook and no paging integration."),
    severities: z
      .strictObject({
        critical: severityPolicy({ notify: ["paging"], repeatInterval: "1h" }),
        warning: severityPolicy({ notify: ["chat"], repeatInterval: "4h" }),
        info: severityPolicy({ notify: [], repeatInterval: "24h" }),
      })
      .prefault({})
      .describe("The default routes by severity label, after your routes and the category routes."),
    categories: z
      .record(slug, categoryRoute)
      .default({})
      .describe(
        'Routes by category label, after your routes and before the severity defaults, e.g. { security: { receivers: ["security-team"] } }. Categories of the shipped alerts: availability, slo, anomaly, synthetics, security, stack, host, containers.',
      ),
    businessHours: z
      .strictObject({
        weekdays: z.array(weekdayRange).min(1, "needs at least one day").default(["monday:friday"]).describe("Working days; weeks start on Sunday."),
        start: clockTime.default("09:00").describe("Start of the working day."),
        end: clockTime.default("17:00").describe("End of the working day (exclusive)."),
        location,
      })
      .prefault({})
      .describe(`Defines the time intervals "${BUSINESS_HOURS}" and "${OUT_OF_HOURS}" that routes can name.`),
    heartbeat: z
      .strictObject({
        receiver: receiverName
          .optional()
          .describe("Receiver of the always-firing Watchdog alert, e.g. a dead man's switch that alerts when it stops arriving. Omitted: the Watchdog is dropped."),
        repeatInterval: duration.default("1m").describe("How often the Watchdog is re-sent; the dead man's switch must expect it at least this often."),
      })
      .prefault({})
      .describe("The route of the always-firing Watchdog alert, right after the smoke route and before yours."),
    timeIntervals: z.array(timeInterval).default([]).describe("Named time windows that routes can notify in or stay silent in."),
    inhibitWarningWhenCritical: z
      .boolean()
      .default(true)
      .describe("A critical alert mutes the warning alert of the same name and service."),
    inhibitServiceAlertsWhenDown: z
      .boolean()
      .default(true)
      .describe("ServiceDown mutes the other alerts of the same service (TargetDown, probes, SLO burn, anomalies): one outage, one notification."),
    links: z
      .strictObject({
        grafana: httpUrl.optional().describe("Grafana's address in notification links. Omitted: the published Grafana port, e.g. http://127.0.0.1:3000."),
        runbooks: httpUrl
          .optional()
          .describe(
            "Base URL relative runbook_url annotations (docs/runbooks/…) are resolved against, e.g. https://github.com/acme/obs/blob/main/. Omitted: notifications show the runbook's path.",
          ),
      })
      .prefault({})
      .describe("Addresses that notification links point to."),
    groupBy: z
      .array(groupByLabel)
      .default(["alertname", "service", "severity"])
      .describe('Labels that group alerts into one notification; ["..."] groups by every label.'),
    groupWait: duration
      .optional()
      .describe("Group timing for your routes, category routes and unmatched alerts; severities have their own. Omitted: the shorter of the critical and warning group waits, as these routes may carry either."),
    groupInterval: duration.default("5m").describe("Wait this long before notifying about changes to a group already notified."),
    repeatInterval: duration.default("4h").describe("Re-send a notification for alerts still firing after this long."),
    latencyBudget,
  })
  .prefault({});


/**
 * The URL of a backend the user runs: it never holds a secret, and where a reader of the generated
 * file expands variables (expandedBy), it holds no "$".
 */
function backendUrl(expandedBy?: string) {
  const withoutCredentials = httpUrl.refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), {
    error: "must not carry credentials (user:password@); the config never holds a secret",
  });
  return expandedBy === undefined
    ? withoutCredentials
    : withoutCredentials.refine((url) => !url.includes("$"), { error: `must not contain "$" (${expandedBy} would expand it as a variable)` });
}

/** A plain header value for a backend (not a secret): the Collector, Prometheus and Grafana would expand a "$". */
const headerValue = textLine.refine((value) => !value.includes("$"), { error: 'must not contain "$"' });

const logs = z
  .strictObject({
    collector: z
      .enum(LOG_COLLECTORS)
      .default("otelcol")
      .describe(
        'Which agent ships container logs: "otelcol" (the OpenTelemetry Collector already in the stack; containers log through Docker\'s fluentd driver into it, and it sends to Loki over OTLP), "promtail" (end of life upstream) or "alloy" (Grafana Alloy). All apply the same labels, parsing, drop and scrub rules; components.<agent> holds the agent\'s port and memory.',
      ),
    loki: z
      .strictObject({
        url: backendUrl("the Collector and Grafana")
          .optional()
          .describe(
            "An existing Loki to ship logs to instead of the bundled one (base URL, e.g. http://loki.internal:3100; set components.loki.enabled to false). The Collector sends to <url>/otlp, Promtail and Alloy to <url>/loki/api/v1/push, and Grafana's Loki datasource reads from it.",
          ),
        bearerTokenEnv: envVarName
          .optional()
          .describe('Env var holding a bearer token for that Loki (Authorization: Bearer), given to the Collector and to Grafana through their environment. logs.collector "otelcol" only.'),
        headers: z
          .record(httpHeaderName, headerValue)
          .default({})
          .describe('Extra headers, not secret, on the Collector\'s requests and Grafana\'s queries (e.g. { "X-Scope-OrgID": "team-a" } for a multi-tenant Loki). logs.collector "otelcol" only.'),
      })
      .prefault({}),
    scrub: z
      .strictObject({
        presets: z.array(z.enum(SCRUB_PRESET_NAMES)).default([]),
        custom: z
          .array(
            z.strictObject({
              name: slug,
              pattern: re2Regex
                .superRefine(
                  refuse((pattern: string) => {
                    // An invalid regex is re2Regex's to report.
                    if (re2SyntaxError(pattern) !== undefined) return undefined;
                    if (captureGroupCount(pattern) === 0) return 'needs a capture group around the text to replace, e.g. "token=(\\w+)"';
                    return scrubPatternProblem(pattern);
                  }),
                )
                .describe("RE2 regex; the text of each capture group is replaced."),
              replacement: textLine
                .refine((replacement) => !replacement.includes("{{"), {
                  error: 'must not contain "{{": Promtail and Alloy read the replacement as a Go template',
                })
                .default("[REDACTED]"),
            }),
          )
          .default([]),
      })
      .prefault({}),
    retention: z
      .record(slug, duration)
      .default({})
      .describe('Retention per log category, e.g. { audit: "365d", debug: "3d" }.'),
    drop: z
      .array(
        z.strictObject({
          name: slug,
          pattern: re2Regex.describe("Lines matching this RE2 regex are dropped before they reach Loki."),
        }),
      )
      .default([]),
  })
  .prefault({});

const positiveCount = (byDefault: number) => z.number().int("must be a whole number").min(1, "must be at least 1").default(byDefault);

/** Prometheus's queue_config, with Prometheus's own defaults: a value left out behaves as in a hand-written remote_write. */
const remoteWriteQueue = z
  .strictObject({
    capacity: positiveCount(10000).describe("Samples buffered per shard before reading the WAL pauses."),
    minShards: positiveCount(1).describe("Parallel senders to start with."),
    maxShards: positiveCount(50).describe("Most parallel senders Prometheus scales up to when the backend falls behind."),
    maxSamplesPerSend: positiveCount(2000).describe("Samples per request."),
    batchSendDeadline: duration.default("5s").describe("Longest a sample waits for a full batch before a smaller one is sent."),
    minBackoff: duration.default("30ms").describe("First wait before retrying a failed request (5xx, connection error); doubles per retry."),
    maxBackoff: duration.default("5s").describe("Longest wait between retries; Prometheus retries until the backend takes the batch."),
    retryOnHttp429: z
      .boolean()
      .default(false)
      .describe("Retry requests the backend refused with 429 Too Many Requests; false: those samples are dropped."),
  })
  .prefault({});

const remoteWriteTarget = z.strictObject({
  name: slug.describe("Unique name of the target; Prometheus's remote-storage metrics carry it as the remote_name label."),
  url: backendUrl().describe(
    "Remote-write endpoint, without credentials: e.g. http://thanos-receive:19291/api/v1/receive, https://mimir.example/api/v1/push, http://victoriametrics:8428/api/v1/write.",
  ),
  basicAuth: z
    .strictObject({
      username: text.describe("User name (not a secret)."),
      passwordEnv: envVarName.describe("Env var holding the password; Prometheus reads it from a Compose secret file."),
    })
    .optional(),
  bearerTokenEnv: envVarName.optional().describe("Env var holding a bearer token (Authorization: Bearer), read from a Compose secret file."),
  timeout: duration.default("30s").describe("Timeout of one request to the backend."),
  headers: z
    .record(httpHeaderName, headerValue)
    .default({})
    .describe('Extra HTTP headers on every request, not secret (e.g. { "X-Scope-OrgID": "team-a" } for a multi-tenant Mimir); credentials go in basicAuth or bearerTokenEnv.'),
  queue: remoteWriteQueue,
  queryUrl: backendUrl("Grafana")
    .optional()
    .describe(
      "Prometheus query API of the same backend; Grafana's Prometheus datasource reads from it instead of the bundled Prometheus. Thanos: the Query component (e.g. http://thanos-query:10902), not the receive URL; Mimir: <url>/prometheus; VictoriaMetrics: its base URL.",
    ),
});

const metrics = z
  .strictObject({
    remoteWrite: z
      .array(remoteWriteTarget)
      .default([])
      .describe(
        "Backends the bundled Prometheus also sends every sample to (Prometheus remote-write: Thanos Receive, Mimir, VictoriaMetrics, …). Prometheus keeps scraping, storing for components.prometheus.retention and evaluating the rules and alerts locally; a refused batch is retried from its WAL.",
      ),
  })
  .prefault({});

/** An OTLP backend of the user's own that the Collector also sends every span to. */
const traceExport = z.strictObject({
  name: slug.describe("Unique name of the backend; the Collector's exporter is called otlp_http/<name> or otlp_grpc/<name>."),
  endpoint: backendUrl("the Collector").describe(
    "OTLP endpoint: for http the base URL the Collector appends /v1/traces to (e.g. https://tempo.example:4318), for grpc scheme, host and port (https://tempo.example:4317; http:// means no TLS).",
  ),
  protocol: z.enum(["http", "grpc"]).default("http").describe("OTLP over HTTP (protobuf) or gRPC."),
  bearerTokenEnv: envVarName.optional().describe("Env var holding a bearer token (Authorization: Bearer), given to the Collector's environment; never written into a file."),
  headers: z
    .record(httpHeaderName, headerValue)
    .default({})
    .describe('Extra headers, not secret (e.g. { "X-Scope-OrgID": "team-a" }).'),
  queryUrl: backendUrl("Grafana")
    .optional()
    .describe("A Jaeger query API of the same backend (Jaeger's query service, or any Jaeger-API-compatible one): Grafana's Jaeger datasource reads from it instead of the bundled Jaeger."),
});

const traces = z
  .strictObject({
    export: z
      .array(traceExport)
      .default([])
      .describe(
        "Backends the Collector sends every span to, beside the bundled Jaeger (or instead of it, with components.jaeger.enabled false), with the same persistent queue and retries as its own exports.",
      ),
  })
  .prefault({});

const exporters = z
  .strictObject({
    postgres: z
      .array(
        z.strictObject({
          name: slug,
          dsnEnv: envVarName.describe("Env var holding the connection string (postgresql://user:pass@host:5432/db)."),
        }),
      )
      .default([]),
    redis: z
      .array(
        z.strictObject({
          name: slug,
          address: hostPort,
          passwordEnv: envVarName.optional(),
        }),
      )
      .default([]),
  })
  .prefault({});

const demo = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe("Run the bundled demo service (container `demo`, http://demo:8080) so every dashboard has data; declare it in `services` to monitor it."),
    trafficRps: z.number().min(0).max(100).default(5).describe("Requests per second the demo sends itself; 0 turns the traffic off."),
  })
  .prefault({});

const smoke = z
  .strictObject({
    webhookPort: port
      .default(19095)
      .describe("Port of the webhook sink `npm run smoke` starts on the Docker bridge to prove alert delivery."),
  })
  .prefault({});

/** Another machine whose agent ships its host's metrics, container logs and OTLP to this stack. */
const agentHost = z.strictObject({
  name: slug.describe("The host's name: the `host` label on everything its agent ships, and `npm run agent -- --host <name>` on that machine."),
  address: hostName.optional().describe("How people reach the host (DNS name or IP address); shown by `npm run status`, nothing connects to it."),
  labels: z
    .record(serviceLabelName, text)
    .default({})
    .describe("Extra labels on everything the host ships (e.g. { region: \"eu-west\" }); set by this stack, not by the agent."),
});

const agents = z
  .strictObject({
    centralUrl: backendUrl()
      .optional()
      .describe(
        "Where agents reach this stack's proxy, e.g. https://obs.example.com:8443. Omitted: https://<components.proxy.hostname>:<components.proxy.port>.",
      ),
    caFile: hostFilePath
      .optional()
      .describe(
        "On the agent hosts: the PEM certificate of the authority that signed the proxy's certificate (Caddy's internal root: see \"Exposing the stack\"). Omitted: the system's trusted roots.",
      ),
    otlpPort: port.default(4318).describe("Port (OTLP/HTTP, on 127.0.0.1) the agent takes its host's applications' telemetry on."),
    otlpGrpcPort: port.default(4317).describe("Port (OTLP/gRPC, on 127.0.0.1) the agent takes its host's applications' telemetry on."),
    fluentPort: port.default(24224).describe("Port (Fluent Forward, 127.0.0.1) Docker's fluentd log driver sends the host's container logs to."),
    memory: memory.default("256m").describe("Memory limit of the agent's Collector."),
  })
  .prefault({});

export const stackConfigSchema = z.strictObject({
  project: z
    .strictObject({
      name: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]*$/, "must be lowercase letters, digits, dashes and underscores (a Compose project name)")
        .default("obs"),
    })
    .prefault({}),
  bindAddress: ipAddress.default("127.0.0.1").describe("Host address every port is published on unless a component overrides it."),
  components,
  images: images.default({}),
  services: z.array(service).default([]),
  exporters,
  alerting,
  logs,
  metrics,
  traces,
  hosts: z
    .array(agentHost)
    .default([])
    .describe("Other machines that run an agent (`npm run agent -- --host <name>`) shipping to this stack through its proxy (components.proxy.enabled)."),
  agents,
  demo,
  smoke,
});

/** What the user writes (everything optional that has a default). */
export type StackConfigInput = z.input<typeof stackConfigSchema>;
/** What the schema returns: every default filled in. */
export type StackConfig = z.output<typeof stackConfigSchema>;
export type ServiceConfig = StackConfig["services"][number];
export type AlertingConfig = StackConfig["alerting"];
export type ReceiverConfig = AlertingConfig["receivers"][number];
export type RemoteWriteConfig = StackConfig["metrics"]["remoteWrite"][number];
export type AgentHostConfig = StackConfig["hosts"][number];
export type TraceExportConfig = StackConfig["traces"]["export"][number];
export type Severity = (typeof SEVERITIES)[number];
