/** Pure rendering: ResolvedStack → Bundle (relative path → file contents). Same model, same bytes. */
import { dashboardFiles } from "../../../dashboards/build.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { renderAlertmanagerFiles } from "../render/alertmanager.ts";
import { renderAlloyConfig } from "../render/alloy.ts";
import { renderAnomalyRules } from "../render/anomaly-rules.ts";
import { renderBlackboxConfig } from "../render/blackbox.ts";
import { renderCaddyConfig } from "../render/caddy.ts";
import { renderCompose } from "../render/compose.ts";
import { renderHostRules } from "../render/host-rules.ts";
import { renderGrafanaDashboardProvider, renderGrafanaDatasources } from "../render/grafana.ts";
import { renderJaegerConfig } from "../render/jaeger.ts";
import { renderK6Scripts } from "../render/k6.ts";
import { renderLokiConfig } from "../render/loki.ts";
import { renderCollectorConfig } from "../render/otelcol.ts";
import { renderPlan } from "../render/plan.ts";
import { renderPrometheusConfig } from "../render/prometheus.ts";
import { renderPromtailConfig } from "../render/promtail.ts";
import { enabledRulePacks, readRulePack, type RulePackFiles } from "../render/rule-packs.ts";
import { renderServiceRules } from "../render/service-rules.ts";
import { renderSloRules } from "../render/slo-rules.ts";

export type Bundle = Map<string, string>;

/**
 * Where each config lives inside the bundle; compose.yaml mounts these directories. plan.json sits
 * outside them all: the bootstrapper reads it, no container mounts it, so its changes apply nothing.
 */
export const BUNDLE_PATHS = {
  compose: "compose.yaml",
  plan: "plan.json",
  prometheus: "prometheus/prometheus.yml",
  rulesDir: "prometheus/rules",
  alertmanager: "alertmanager/alertmanager.yml",
  loki: "loki/loki.yml",
  promtail: "promtail/promtail.yml",
  alloy: "alloy/config.alloy",
  otelCollector: "otelcol/config.yaml",
  jaeger: "jaeger/config.yaml",
  blackbox: "blackbox/blackbox.yml",
  proxy: "proxy/caddy.json",
  grafanaDatasources: "grafana/provisioning/datasources/datasources.yml",
  grafanaDashboardProvider: "grafana/provisioning/dashboards/dashboards.yml",
  grafanaDashboardsDir: "grafana/dashboards",
  /**
   * The rule packs' promtool tests: not part of the bundle (Prometheus never reads them), written
   * here by `validate` only while it runs them. Inside rulesDir because each test names its rules as
   * `../<pack>.yml`, relative to itself; no component loads a subdirectory of rulesDir.
   */
  ruleTestsDir: "prometheus/rules/.rule-tests",
} as const;

export function renderBundle(model: ResolvedStack): Bundle {
  const { enabled } = model;
  const files: Array<[string, string]> = [
    [BUNDLE_PATHS.compose, renderCompose(model)],
    [BUNDLE_PATHS.plan, renderPlan(model)],
  ];

  if (enabled.prometheus) {
    files.push([BUNDLE_PATHS.prometheus, renderPrometheusConfig(model)]);
    for (const pack of renderRulePacks(model)) files.push([`${BUNDLE_PATHS.rulesDir}/${pack.name}.yml`, pack.rules]);
  }
  if (enabled.alertmanager) files.push(...renderAlertmanagerFiles(model, BUNDLE_PATHS.alertmanager));
  if (enabled.loki) files.push([BUNDLE_PATHS.loki, renderLokiConfig(model)]);
  if (enabled.promtail) files.push([BUNDLE_PATHS.promtail, renderPromtailConfig(model)]);
  if (enabled.alloy) files.push([BUNDLE_PATHS.alloy, renderAlloyConfig(model)]);
  if (enabled.otelCollector) files.push([BUNDLE_PATHS.otelCollector, renderCollectorConfig(model)]);
  if (enabled.jaeger) files.push([BUNDLE_PATHS.jaeger, renderJaegerConfig(model)]);
  if (enabled.blackbox) files.push([BUNDLE_PATHS.blackbox, renderBlackboxConfig(model)]);
  if (enabled.proxy) files.push([BUNDLE_PATHS.proxy, renderCaddyConfig(model)]);
  if (enabled.grafana) {
    files.push([BUNDLE_PATHS.grafanaDatasources, renderGrafanaDatasources(model)]);
    files.push([BUNDLE_PATHS.grafanaDashboardProvider, renderGrafanaDashboardProvider()]);
    for (const [name, json] of dashboardFiles(model)) files.push([`${BUNDLE_PATHS.grafanaDashboardsDir}/${name}`, json]);
  }
  return sortedBundle(files);
}

/**
 * The k6 scripts of the services with HTTP checks (and their shared lib/), under k6/. Not part of
 * the bundle: no container of the stack mounts them, so `generate` never writes them (one file per
 * service was most of its bytes and time at scale). `synthetics` writes them into a private run
 * directory for the k6 it starts, and `validate` next to the bundle while it checks them.
 */
export function renderSyntheticsScripts(model: ResolvedStack): Bundle {
  return sortedBundle(renderK6Scripts(model));
}

/** The promtool unit tests of every rule pack the bundle has, at their paths under ruleTestsDir. */
export function renderRuleTests(model: ResolvedStack): Bundle {
  return sortedBundle(renderRulePacks(model).map((pack) => [`${BUNDLE_PATHS.ruleTestsDir}/${pack.name}.test.yml`, pack.tests()]));
}

/** The static packs (rules/ and rules/tests/) of the components that run, then the generated ones; none without Prometheus. */
function renderRulePacks(model: ResolvedStack): Array<{ name: string } & RulePackFiles> {
  if (!model.enabled.prometheus) return [];
  const generated = { services: renderServiceRules(model), slo: renderSloRules(model), anomaly: renderAnomalyRules(model), hosts: renderHostRules(model) };
  return [
    ...enabledRulePacks(model).map((pack) => ({ name: pack.name, ...readRulePack(pack) })),
    ...Object.entries(generated).flatMap(([name, pack]) => (pack ? [{ name, ...pack }] : [])),
  ];
}

function sortedBundle(files: Array<[string, string]>): Bundle {
  return new Map(files.sort(([a], [b]) => a.localeCompare(b)));
}
