/** Grafana provisioning: datasources with fixed uids (dashboards reference them) and the dashboard provider. */
import { internalUrl } from "../catalog/components.ts";
import { DATASOURCE_UIDS } from "../catalog/datasources.ts";
import { componentBasePath } from "../config/addresses.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { renderTemplate } from "./templates.ts";

const GRAFANA_DASHBOARDS_DIR = "/etc/grafana/dashboards";

export function renderGrafanaDatasources(model: ResolvedStack): string {
  const { enabled } = model;
  return renderTemplate("provisioning/grafana/datasources.yml", {
    uids: DATASOURCE_UIDS,
    prometheus: enabled.prometheus ? { url: prometheusQueryUrl(model), scrapeInterval: model.timings.scrapeInterval } : null,
    loki: model.logDestination ? { url: model.logDestination.url, headers: lokiHeaders(model) } : null,
    jaeger: tracesReader(model),
    alertmanager: enabled.alertmanager ? { url: internalUrl("alertmanager") } : null,
  });
}

/**
 * The bundled Prometheus, or the backend it remote-writes to when that target names a queryUrl:
 * there the data outlives local retention. The rules and alerts still run on the bundled one.
 */
function prometheusQueryUrl(model: ResolvedStack): string {
  const reader = model.config.metrics.remoteWrite.find((target) => target.queryUrl);
  return reader?.queryUrl ?? internalUrl("prometheus");
}

/** An existing Loki's token (Grafana expands `${VAR}` from its environment) and headers, numbered as Grafana's custom headers are. */
function lokiHeaders(model: ResolvedStack): Array<{ index: number; name: string; value: string }> {
  if (model.logDestination?.bundled !== false) return [];
  const { bearerTokenEnv, headers } = model.config.logs.loki;
  const all = [...(bearerTokenEnv ? [{ name: "Authorization", value: `Bearer \${${bearerTokenEnv}}` }] : []), ...Object.keys(headers).sort().map((name) => ({ name, value: headers[name]! }))];
  return all.map((header, i) => ({ index: i + 1, ...header }));
}

/** Your trace backend that names a queryUrl (traces.export), else the bundled Jaeger, if either. */
function tracesReader(model: ResolvedStack): { url: string } | null {
  const reader = model.config.traces.export.find((target) => target.queryUrl);
  if (reader?.queryUrl) return { url: reader.queryUrl };
  return model.enabled.jaeger ? { url: internalUrl("jaeger", componentBasePath(model.config, "jaeger")) } : null;
}

export function renderGrafanaDashboardProvider(): string {
  return renderTemplate("provisioning/grafana/dashboards.yml", { path: GRAFANA_DASHBOARDS_DIR });
}
