/**
 * plan.json: the stack's services, images, published ports, URLs, data volumes and how each one
 * takes a change to the config files it mounts, as data, so the runtime (status, logs, pulls, down, and up's
 * reloads and restarts) reads what was rendered instead of parsing compose.yaml back.
 * Built from the very ServiceSpec list compose.yaml is rendered from.
 */
import { namedVolumes, type ApplyRule, type OwnedDir } from "../catalog/component-definition.ts";
import { COMPONENT_NAMES, definitionOf, SERVICE_NAMES, type ComponentName } from "../catalog/components.ts";
import { componentUrl } from "../config/addresses.ts";
import type { StackModel } from "../config/model.ts";
import { stackServices } from "./compose.ts";
import type { PortMapping } from "./compose-services.ts";

export interface PlannedService {
  name: string;
  /** null for the services that are no catalog component: exporters and the demo. */
  component: ComponentName | null;
  image: string;
  ports: PortMapping[];
  /** The URL a person on the host opens; null where there is nothing to open. */
  url: string | null;
  healthcheck: boolean;
  /** The bundle directories the service mounts, and what applies a change below each. */
  configs: PlannedConfig[];
  /** Its named volumes: the state `backup` saves and `restore` puts back. */
  volumes: PlannedVolume[];
  /** Directories in those volumes that `up` makes the image user's before the first start. */
  ownedDirs: OwnedDir[];
}

export interface PlannedVolume {
  volume: string;
  path: string;
}

export interface PlannedConfig {
  dir: string;
  apply: ApplyRule;
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
        ports: spec.ports,
        url: component ? componentUrl(model.config, component) : null,
        healthcheck: spec.healthcheck !== null,
        configs: component ? definitionOf(component).configMounts.map(({ dir, apply }) => ({ dir, apply })) : [],
        volumes: namedVolumes(spec.volumes),
        ownedDirs: component ? [...(definitionOf(component).container.ownedDirs ?? [])] : [],
      };
    }),
  };
}

export function renderPlan(model: StackModel): string {
  return `${JSON.stringify(buildPlan(model), null, 2)}\n`;
}
