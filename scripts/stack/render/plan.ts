/**
 * plan.json: the stack's services, images, published ports and URLs as data, so the runtime
 * (status, logs, pulls, down) reads what was rendered instead of parsing compose.yaml back.
 * Built from the very ServiceSpec list compose.yaml is rendered from.
 */
import { COMPONENT_NAMES, SERVICE_NAMES, type ComponentName } from "../catalog/components.ts";
import { componentUrl } from "../config/addresses.ts";
import type { StackModel } from "../config/model.ts";
import { stackServices } from "./compose.ts";
import type { ServiceSpec } from "./compose-services.ts";

export interface PlannedPort {
  /** The host address the port is published on, without IPv6 brackets. */
  address: string;
  host: number;
  container: number;
}

export interface PlannedService {
  name: string;
  /** null for the services that are no catalog component: exporters and the demo. */
  component: ComponentName | null;
  image: string;
  ports: PlannedPort[];
  /** The URL a person on the host opens; null where there is nothing to open. */
  url: string | null;
  healthcheck: boolean;
}

export interface StackPlan {
  project: string;
  services: PlannedService[];
}

const COMPONENT_OF_SERVICE = new Map(COMPONENT_NAMES.map((name) => [SERVICE_NAMES[name], name]));

export function buildPlan(model: StackModel): StackPlan {
  return {
    project: model.config.project.name,
    services: stackServices(model).map((spec): PlannedService => {
      const component = COMPONENT_OF_SERVICE.get(spec.name) ?? null;
      return {
        name: spec.name,
        component,
        image: spec.image,
        ports: spec.ports.map(plannedPort),
        url: component ? componentUrl(model.config, component) : null,
        healthcheck: spec.healthcheck !== null,
      };
    }),
  };
}

export function renderPlan(model: StackModel): string {
  return `${JSON.stringify(buildPlan(model), null, 2)}\n`;
}

/** ServiceSpec ports are Compose's short syntax, `address:host:container` (IPv6 in brackets). */
function plannedPort(port: ServiceSpec["ports"][number]): PlannedPort {
  const match = /^(?:\[(.+)\]|([^:]+)):(\d+):(\d+)$/.exec(port);
  if (!match) throw new Error(`unexpected published port "${port}": expected address:host:container`);
  return { address: match[1] ?? match[2]!, host: Number(match[3]), container: Number(match[4]) };
}
