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
  return renderTemplate("compose/compose.yaml", {
    project: model.config.project.name,
    services: services.map((service) => ({ ...service, ports: service.ports.map(composePort) })),
    volumes,
    secrets,
  });
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
