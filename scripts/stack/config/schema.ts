/**
 * The single source of truth for the shape of stack.config.ts. Types are inferred from it,
 * defaults live here, and the README's config reference is generated from it.
 */
import { z } from "zod";
import {
  AUXILIARY_IMAGE_NAMES,
  COMPONENT_DEFAULTS,
  COMPONENT_NAMES,
  type ComponentName,
  type ImageName,
} from "../catalog/components.ts";
import {
  duration,
  envVarName,
  hostPort,
  httpUrl,
  ipAddress,
  labelName,
  memory,
  port,
  ratio,
  captureGroupCount,
  re2Problem,
  re2Regex,
  size,
  slug,
  urlPath,
} from "./primitives.ts";

function component<Extra extends z.ZodRawShape>(name: ComponentName, extra: Extra) {
  const defaults = COMPONENT_DEFAULTS[name];
  const shape = z.strictObject({
      enabled: z.boolean().default(true).describe("Run this component (its service, configs, rules and dashboards)."),
      port: port.default(defaults.hostPort).describe("Host port the component is published on."),
      bindAddress: ipAddress
        .optional()
        .describe("Host address to publish on; defaults to the top-level bindAddress (127.0.0.1)."),
      memory: memory.default(defaults.memory).describe("Container memory limit."),
      ...extra,
    });
  // Every field of a component has a default, so an omitted component is a valid empty object.
  return shape.prefault({} as z.input<typeof shape>);
}

const components = z
  .strictObject({
    prometheus: component("prometheus", {
      retention: z
        .strictObject({
          time: duration.default("15d").describe("Delete samples older than this."),
          size: size.optional().describe("Also delete the oldest blocks once the TSDB is larger than this."),
        })
        .prefault({}),
      scrapeInterval: duration.default("15s"),
      evaluationInterval: duration.default("15s"),
    }),
    alertmanager: component("alertmanager", {}),
    grafana: component("grafana", {
      adminUser: z
        .string()
        .min(1)
        .default("admin")
        .describe("Admin login. The password is generated on first run into .env (mode 0600); it never has a default."),
    }),
    loki: component("loki", {
      retention: duration.default("31d").describe("Default log retention; per-category periods are in logs.retention."),
    }),
    promtail: component("promtail", {}),
    jaeger: component("jaeger", {
      retention: duration.default("7d").describe("How long traces are kept (Badger TTL)."),
    }),
    otelCollector: component("otelCollector", {
      grpcPort: port.default(4317).describe("Host port of the OTLP/gRPC receiver (`port` is OTLP/HTTP)."),
    }),
    nodeExporter: component("nodeExporter", {}),
    cadvisor: component("cadvisor", {}),
    blackbox: component("blackbox", {}),
    pushgateway: component("pushgateway", {}),
  })
  .prefault({});

const imageRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._\/:@-]*$/i, 'must be an image reference such as "registry.internal/prom/prometheus:v3.16.0"');

const images = z.strictObject(
  Object.fromEntries([...COMPONENT_NAMES, ...AUXILIARY_IMAGE_NAMES].map((name) => [name, imageRef.optional()])) as Record<
    ImageName,
    z.ZodOptional<typeof imageRef>
  >,
);

const service = z.strictObject({
  name: slug.describe("Unique service name; becomes the `service` label."),
  url: httpUrl.describe('Base URL Prometheus and the probes use, e.g. "http://api:8080" or "http://host.docker.internal:8080".'),
  metricsPath: z
    .union([urlPath, z.literal(false)])
    .default("/metrics")
    .describe("Path of the Prometheus metrics endpoint, or false if the service exposes none."),
  scrapeInterval: duration.optional(),
  health: z
    .strictObject({
      live: urlPath.optional().describe("Liveness endpoint, probed by blackbox."),
      ready: urlPath.optional().describe("Readiness endpoint, probed by blackbox."),
      detailed: urlPath.optional().describe('Detailed health endpoint returning JSON with "status": "ok".'),
    })
    .prefault({}),
  labels: z.record(labelName, z.string()).default({}).describe("Extra labels on every series of this service."),
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
          errorMatcher: z
            .string()
            .regex(/^[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*".*"$/, 'must be a label matcher such as http_response_status_code=~"5.."')
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
});

const receiver = z.strictObject({
  name: z.string().min(1, "must not be empty"),
  slack: z
    .strictObject({
      webhookUrlEnv: envVarName,
      channel: z.string().optional(),
    })
    .optional(),
  pagerduty: z.strictObject({ routingKeyEnv: envVarName }).optional(),
  email: z
    .strictObject({
      to: z.array(z.email("must be an email address")).min(1, "needs at least one address"),
      from: z.email("must be an email address"),
      smarthost: hostPort,
      authUsername: z.string().optional(),
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

const SEVERITIES = ["critical", "warning", "info"] as const;

const route = z.strictObject({
  receiver: z.string().min(1),
  severity: z.enum(SEVERITIES).optional(),
  category: z.string().optional(),
  matchers: z
    .array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*".*"$/, 'must be a matcher such as team="payments"'))
    .default([]),
  continue: z.boolean().default(false),
  activeTimeIntervals: z.array(z.string()).default([]),
  muteTimeIntervals: z.array(z.string()).default([]),
  repeatInterval: duration.optional(),
});

const WEEKDAYS = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const timeInterval = z.strictObject({
  name: z.string().min(1),
  weekdays: z
    .array(z.string().regex(new RegExp(`^${WEEKDAYS}(?::${WEEKDAYS})?$`), 'must be a weekday or range such as "monday:friday"'))
    .default([]),
  times: z
    .array(
      z.strictObject({
        start: z.string().regex(/^(?:[01]\d|2[0-4]):[0-5]\d$/, 'must be "HH:MM"'),
        end: z.string().regex(/^(?:[01]\d|2[0-4]):[0-5]\d$/, 'must be "HH:MM"'),
      }),
    )
    .default([]),
  location: z.string().default("UTC").describe('IANA time zone, e.g. "Europe/Berlin".'),
});

const alerting = z
  .strictObject({
    receivers: z.array(receiver).default([]),
    defaultReceiver: z.string().optional().describe("Receiver for alerts no route matches; none means they are dropped."),
    routes: z.array(route).default([]),
    timeIntervals: z.array(timeInterval).default([]),
    inhibitWarningWhenCritical: z
      .boolean()
      .default(true)
      .describe("A critical alert mutes the warning alert of the same name and service."),
    groupBy: z.array(z.string()).default(["alertname", "service", "severity"]),
    groupWait: duration.default("30s"),
    groupInterval: duration.default("5m"),
    repeatInterval: duration.default("4h"),
  })
  .prefault({});

export const SCRUB_PRESET_NAMES = ["email", "creditCard", "ssn", "phone", "ip"] as const;

const logs = z
  .strictObject({
    scrub: z
      .strictObject({
        presets: z.array(z.enum(SCRUB_PRESET_NAMES)).default([]),
        custom: z
          .array(
            z.strictObject({
              name: slug,
              pattern: re2Regex
                .refine((pattern) => re2Problem(pattern) !== undefined || captureGroupCount(pattern) > 0, {
                  error: 'needs a capture group around the text to replace, e.g. "token=(\\w+)"',
                })
                .describe("RE2 regex; the text of each capture group is replaced."),
              replacement: z.string().default("[REDACTED]"),
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

const smoke = z
  .strictObject({
    webhookPort: port
      .default(19095)
      .describe("Port of the webhook sink `npm run smoke` starts on the Docker bridge to prove alert delivery."),
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
  smoke,
});

/** What the user writes (everything optional that has a default). */
export type StackConfigInput = z.input<typeof stackConfigSchema>;
/** What the schema returns: every default filled in. */
export type StackConfig = z.output<typeof stackConfigSchema>;
export type ServiceConfig = StackConfig["services"][number];
export type ReceiverConfig = StackConfig["alerting"]["receivers"][number];
export type Severity = (typeof SEVERITIES)[number];
