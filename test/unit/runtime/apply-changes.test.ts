import { describe, expect, it } from "vitest";
import { BUNDLE_PATHS, renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { buildPlan } from "../../../scripts/stack/render/plan.ts";
import { planConfigApply, type PlannedApply } from "../../../scripts/stack/runtime/apply-changes.ts";
import { modelOf } from "../../helpers/parse.ts";

const running = new Set(["prometheus", "alertmanager", "loki", "grafana", "otel-collector", "blackbox"]);
// Every component that can run, so that every mount is in the plan.
const plan = buildPlan(modelOf({ logs: { collector: "alloy" }, components: { loki: { enabled: true } } }));
const everyService = new Set(plan.services.map((service) => service.name));
const steps = (applied: PlannedApply[]) => applied.map(({ service, apply }) => ({ service: service.name, ...apply }));

describe("applying changed config files to running services, as the plan says", () => {
  it("reloads what can reload (confirmed by its own metric) and restarts the rest", () => {
    const changed = ["prometheus/prometheus.yml", "prometheus/rules/stack.yml", "alertmanager/alertmanager.yml", "loki/loki.yml", "otelcol/config.yaml", "blackbox/blackbox.yml"];
    expect(steps(planConfigApply(plan, changed, running))).toEqual([
      { service: "alertmanager", action: "reload", successMetric: "alertmanager_config_last_reload" },
      { service: "blackbox", action: "reload", successMetric: "blackbox_exporter_config_last_reload" },
      { service: "loki", action: "restart" },
      { service: "otel-collector", action: "restart" },
      { service: "prometheus", action: "reload", successMetric: "prometheus_config_last_reload" },
    ]);
    expect(steps(planConfigApply(plan, ["alloy/config.alloy"], everyService))).toEqual([{ service: "alloy", action: "reload", successMetric: "alloy_config_last_load" }]);
  });

  it("does nothing for dashboards (Grafana re-reads them) or for compose.yaml (Compose recreates)", () => {
    expect(planConfigApply(plan, ["grafana/dashboards/stack-health.json", "compose.yaml"], running)).toEqual([]);
  });

  it("does nothing for plan.json: the bootstrapper reads it, no container mounts it", () => {
    expect(planConfigApply(plan, [BUNDLE_PATHS.plan], everyService)).toEqual([]);
    // A new image pin changes compose.yaml (Compose recreates the container) and plan.json, nothing else.
    const before = renderBundle(modelOf({}));
    const after = renderBundle(modelOf({ images: { grafana: "grafana/grafana:13.0.2" } }));
    const changed = [...after].filter(([file, contents]) => before.get(file) !== contents).map(([file]) => file);
    expect(changed).toEqual([BUNDLE_PATHS.compose, BUNDLE_PATHS.plan]);
    expect(planConfigApply(plan, changed, everyService)).toEqual([]);
  });

  it("skips services that Compose just recreated or that are not running", () => {
    expect(planConfigApply(plan, ["prometheus/prometheus.yml", "jaeger/config.yaml"], new Set(["loki"]))).toEqual([]);
  });

  it("a restart wins over a reload for the same service", () => {
    expect(steps(planConfigApply(plan, ["grafana/provisioning/datasources/datasources.yml", "grafana/dashboards/x.json"], running))).toEqual([
      { service: "grafana", action: "restart" },
    ]);
  });

  it("matches whole directory names, not prefixes of them", () => {
    expect(planConfigApply(plan, ["prometheus-extra/x.yml", "lokix/loki.yml"], everyService)).toEqual([]);
  });
});
