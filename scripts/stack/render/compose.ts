/** compose.yaml: every enabled component and exporter, named volumes, and secrets read from the environment. */
import type { StackModel } from "../config/model.ts";
import { uniqueSecrets } from "../config/model.ts";
import { SERVICE_NAMES } from "../catalog/components.ts";
import {
  GRAFANA_PASSWORD_ENV,
  componentServices,
  demoServices,
  exporterServices,
  type PortMapping,
  type ServiceSpec,
} from "./compose-services.ts";
import { fluentdLogging } from "./log-shipping.ts";
import { renderTemplate } from "./templates.ts";

/** Every service of the stack, in compose.yaml's order: the one list compose.yaml and plan.json are built from. */
export function stackServices(model: StackModel): ServiceSpec[] {
  return withLogShipping(model, [...componentServices(model), ...exporterServices(model), ...demoServices(model)]);
}

export function renderCompose(model: StackModel): string {
  const services = stackServices(model);
  const volumes = [...new Set(services.flatMap((s) => s.volumes).map((v) => v.split(":")[0]!).filter(isNamedVolume))];
  const sources = new Map([
    [GRAFANA_PASSWORD_ENV.toLowerCase(), GRAFANA_PASSWORD_ENV],
    ...uniqueSecrets(model).map((ref): [string, string] => [ref.secretName, ref.env]),
  ]);
  const used = [...new Set(services.flatMap((service) => service.secrets))].sort();
  const secrets = used.map((name) => ({ name, env: sources.get(name)! }));
  return assertNoInterpolation(
    renderTemplate("compose/compose.yaml", {
      project: model.config.project.name,
      services: services.map((service) => ({ ...service, ports: service.ports.map(composePort) })),
      volumes,
      secrets,
    }),
  );
}

/**
 * Compose interpolates `$` anywhere in the file. The services carry `$$` for a literal `$` and
 * `${NAME:-}` where a secret comes from the environment on purpose; the schema keeps "$" out of the
 * config values that reach this file. Any other `$` would be a bug that changes a value silently.
 */
function assertNoInterpolation(compose: string): string {
  const unescaped = compose.replaceAll("$$", "");
  const stray = /\$(?!\{[A-Z_][A-Z0-9_]*:-\})/.exec(unescaped);
  if (stray) throw new Error(`compose.yaml would interpolate ${JSON.stringify(unescaped.slice(stray.index, stray.index + 40))}`);
  return compose;
}

/**
 * Every container logs through the Collector when it is the log agent, except the Collector itself:
 * its own lines (one per exported batch at debug verbosity) would feed back into it.
 */
function withLogShipping(model: StackModel, services: ServiceSpec[]): ServiceSpec[] {
  const logging = fluentdLogging(model);
  return services.map((service) => (logging && service.name !== SERVICE_NAMES.otelCollector ? { ...service, logging } : service));
}

/** Compose's short syntax, `address:host:container[/udp]`, IPv6 addresses in brackets. */
function composePort({ address, host, container, protocol }: PortMapping): string {
  return `${address.includes(":") ? `[${address}]` : address}:${host}:${container}${protocol ? `/${protocol}` : ""}`;
}

function isNamedVolume(source: string): boolean {
  return !source.startsWith("/") && !source.startsWith(".");
}
