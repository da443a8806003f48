/** Grafana provisioning: datasources with fixed uids (dashboards reference them) and the dashboard provider. */
import { internalUrl } from "../catalog/components.ts";
import { DATASOURCE_UIDS } from "../catalog/datasources.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { renderTemplate } from "./templates.ts";

const GRAFANA_DASHBOARDS_DIR = "/etc/grafana/dashboards";

export function renderGrafanaDatasources(model: ResolvedStack): string {
  const { enabled } = model;
  return renderTemplate("provisioning/grafana/datasources.yml", {
    uids: DATASOURCE_UIDS,
    prometheus: enabled.prometheus ? { url: internalUrl("prometheus"), scrapeInterval: model.timings.scrapeInterval } : null,
    loki: model.logDestination ? { url: model.logDestination.url } : null,
    jaeger: enabled.jaeger ? { url: internalUrl("jaeger") } : null,
    alertmanager: enabled.alertmanager ? { url: internalUrl("alertmanager") } : null,
  });
}

export function renderGrafanaDashboardProvider(): string {
  return renderTemplate("provisioning/grafana/dashboards.yml", { path: GRAFANA_DASHBOARDS_DIR });
}
