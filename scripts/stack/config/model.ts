/**
 * The StackModel: the parsed config plus everything derived from it that more than one renderer
 * needs (resolved images, which components run, which secrets are referenced). Pure data.
 */
import {
  AUXILIARY_IMAGE_NAMES,
  COMPONENT_NAMES,
  type ComponentName,
  type ImageName,
  isLogAgent,
  internalUrl,
  pinnedImage,
} from "../catalog/components.ts";
import type { AgentHostConfig, StackConfig } from "./schema.ts";
import { formatPath } from "./zod-issues.ts";

export interface SecretRef {
  /** Config path of the field naming the variable, for error messages. */
  path: string;
  env: string;
  /** File name under /run/secrets/ inside the container that needs it. */
  secretName: string;
}

/**
 * The labels users query logs by, whichever agent ships them. Over OTLP, Loki indexes only resource
 * attributes, so the Collector moves these into the resource and loki.yml's otlp_config indexes them.
 */
export const LOG_INDEX_LABELS = ["service", "category", "level", "container", "compose_service", "compose_project"] as const;

/** Where logs go: the bundled Loki or an existing one (`logs.loki.url`). */
export interface LogDestination {
  /** Loki's base URL as the stack's containers reach it. */
  url: string;
  bundled: boolean;
}

export interface StackModel {
  config: StackConfig;
  images: Record<ImageName, string>;
  enabled: Record<ComponentName, boolean>;
  secrets: SecretRef[];
  /** null when no Loki receives logs: log collection is off. */
  logDestination: LogDestination | null;
  /** Set only in the model of an agent's bundle (render/agent.ts): the host it runs on. */
  agent?: AgentHostConfig;
}

export function buildModel(config: StackConfig): StackModel {
  const allImages = [...COMPONENT_NAMES, ...AUXILIARY_IMAGE_NAMES];
  const images = Object.fromEntries(allImages.map((name) => [name, config.images[name] ?? pinnedImage(name)])) as Record<
    ImageName,
    string
  >;
  const enabled = Object.fromEntries(COMPONENT_NAMES.map((name) => [name, componentRuns(config, name)])) as Record<
    ComponentName,
    boolean
  >;
  return { config, images, enabled, secrets: collectSecrets(config), logDestination: logDestination(config, enabled) };
}

/** Whether the Collector is the container log agent: it is the chosen one, it runs, and a Loki takes the logs. */
export function collectorShipsContainerLogs(model: StackModel): boolean {
  return model.config.logs.collector === "otelcol" && model.enabled.otelCollector && model.logDestination !== null;
}

function logDestination(config: StackConfig, enabled: Record<ComponentName, boolean>): LogDestination | null {
  if (config.logs.loki.url) return { url: config.logs.loki.url.replace(/\/+$/, ""), bundled: false };
  return enabled.loki ? { url: internalUrl("loki"), bundled: true } : null;
}

/** A log agent runs only when logs.collector names it; every other component follows its `enabled`. */
export function componentRuns(config: StackConfig, name: ComponentName): boolean {
  return config.components[name].enabled !== false && (!isLogAgent(name) || config.logs.collector === name);
}

function collectSecrets(config: StackConfig): SecretRef[] {
  const refs: SecretRef[] = [];
  const add = (path: PropertyKey[], env: string | undefined) => {
    if (env) refs.push({ path: formatPath(path), env, secretName: secretNameOf(env) });
  };
  config.alerting.receivers.forEach((receiver, i) => {
    const base = ["alerting", "receivers", i];
    add([...base, "slack", "webhookUrlEnv"], receiver.slack?.webhookUrlEnv);
    add([...base, "pagerduty", "routingKeyEnv"], receiver.pagerduty?.routingKeyEnv);
    add([...base, "email", "authPasswordEnv"], receiver.email?.authPasswordEnv);
    add([...base, "webhook", "urlEnv"], receiver.webhook?.urlEnv);
    add([...base, "opsgenie", "apiKeyEnv"], receiver.opsgenie?.apiKeyEnv);
  });
  config.exporters.postgres.forEach((pg, i) => add(["exporters", "postgres", i, "dsnEnv"], pg.dsnEnv));
  config.exporters.redis.forEach((redis, i) => add(["exporters", "redis", i, "passwordEnv"], redis.passwordEnv));
  add(["logs", "loki", "bearerTokenEnv"], config.logs.loki.bearerTokenEnv);
  config.traces.export.forEach((target, i) => add(["traces", "export", i, "bearerTokenEnv"], target.bearerTokenEnv));
  config.metrics.remoteWrite.forEach((target, i) => {
    const base = ["metrics", "remoteWrite", i];
    add([...base, "basicAuth", "passwordEnv"], target.basicAuth?.passwordEnv);
    add([...base, "bearerTokenEnv"], target.bearerTokenEnv);
  });
  return refs;
}

const secretNameOf = (env: string) => env.toLowerCase();

/** Where Compose mounts the secret taken from variable `env` in the containers given it. */
export const secretFile = (env: string) => `/run/secrets/${secretNameOf(env)}`;

/** Secret files are mounted once per variable even when several fields name it. */
export function uniqueSecrets(model: StackModel): SecretRef[] {
  const seen = new Map<string, SecretRef>();
  for (const ref of model.secrets) if (!seen.has(ref.env)) seen.set(ref.env, ref);
  return [...seen.values()].sort((a, b) => a.env.localeCompare(b.env));
}
