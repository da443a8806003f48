/** Promtail: Docker service discovery, JSON/logfmt parsing, bounded labels, drop and scrub stages. */
import type { StackModel } from "../config/model.ts";
import { scrubRules } from "../logs/scrub-rules.ts";
import { renderTemplate } from "./templates.ts";

/** Container labels the stack sets on its own containers and that users can set on theirs. */
export const LOG_LABELS = {
  service: "io.obs-stack.service",
  category: "io.obs-stack.category",
} as const;

export const DEFAULT_LOG_CATEGORY = "app";

/** Docker SD exposes container labels with every non-alphanumeric character turned into "_". */
const sdLabel = (label: string) => `__meta_docker_container_label_${label.replace(/[^a-zA-Z0-9]/g, "_")}`;

/** What every log collector's config is made of: Promtail and Alloy lay out the same pipeline. */
export function logPipeline(model: StackModel) {
  const { services, logs } = model.config;
  return {
    // Promtail and Alloy run only with a destination (config rules refuse them without one).
    lokiPushUrl: `${model.logDestination?.url ?? ""}/loki/api/v1/push`,
    serviceLabel: sdLabel(LOG_LABELS.service),
    categoryLabel: sdLabel(LOG_LABELS.category),
    defaultCategory: DEFAULT_LOG_CATEGORY,
    serviceCategories: services
      .filter((service) => service.logs.category !== DEFAULT_LOG_CATEGORY)
      .map((service) => ({ service: service.name, category: service.logs.category })),
    logfmtSelectors: services
      .filter((service) => service.logs.format === "logfmt")
      .map((service) => `{service="${service.name}"}`),
    drops: logs.drop,
    scrubs: scrubRules(logs),
  };
}

export function renderPromtailConfig(model: StackModel): string {
  return renderTemplate("provisioning/promtail/promtail.yml", logPipeline(model));
}
