/** Loki 3 single-binary config: tsdb + schema v13 on the filesystem, compactor-driven retention. */
import { internalUrl } from "../catalog/components.ts";
import { HOST_LABEL } from "../config/agents.ts";
import { LOG_INDEX_LABELS, type StackModel } from "../config/model.ts";
import { renderTemplate } from "./templates.ts";

export function renderLokiConfig(model: StackModel): string {
  const { logs, components } = model.config;
  const categories = Object.keys(logs.retention).sort();
  return renderTemplate("provisioning/loki/loki.yml", {
    retention: components.loki.retention,
    streamRetention: categories.map((category, index) => ({
      selector: `{category="${category}"}`,
      // Later categories cannot collide (one category per stream), so priority only breaks ties.
      priority: index + 1,
      period: logs.retention[category],
    })),
    alertmanager: model.enabled.alertmanager ? internalUrl("alertmanager") : null,
    // The central Collector sets `host` on what agents ship (render/otelcol.ts).
    otlpIndexLabels: [...LOG_INDEX_LABELS, ...(model.config.hosts.length > 0 ? [HOST_LABEL] : [])],
  });
}
