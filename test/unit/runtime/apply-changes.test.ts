import { describe, expect, it } from "vitest";
import { SERVICE_NAMES } from "../../../scripts/stack/catalog/components.ts";
import { BUNDLE_PATHS, renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { planConfigApply } from "../../../scripts/stack/runtime/apply-changes.ts";
import { modelOf } from "../../helpers/parse.ts";

const running = new Set(["prometheus", "alertmanager", "loki", "grafana", "otel-collector", "blackbox"]);

describe("applying changed config files to running services", () => {
  it("reloads what can reload and restarts the rest", () => {
    expect(
      planConfigApply(["prometheus/prometheus.yml", "prometheus/rules/stack.yml", "alertmanager/alertmanager.yml", "loki/loki.yml", "otelcol/config.yaml"], running),
    ).toEqual([
      { component: "alertmanager", service: "alertmanager", action: "reload" },
      { component: "loki", service: "loki", action: "restart" },
      { component: "otelCollector", service: "otel-collector", action: "restart" },
      { component: "prometheus", service: "prometheus", action: "reload" },
    ]);
  });

  it("does nothing for dashboards (Grafana re-reads them) or for compose.yaml (Compose recreates)", () => {
    expect(planConfigApply(["grafana/dashboards/stack-health.json", "compose.yaml"], running)).toEqual([]);
  });

  it("does nothing for plan.json: the bootstrapper reads it, no container mounts it", () => {
    const everyService = new Set(Object.values(SERVICE_NAMES));
    expect(planConfigApply([BUNDLE_PATHS.plan], everyService)).toEqual([]);
    // A new image pin changes compose.yaml (Compose recreates the container) and plan.json, nothing else.
    const before = renderBundle(modelOf({}));
    const after = renderBundle(modelOf({ images: { grafana: "grafana/grafana:13.0.2" } }));
    const changed = [...after].filter(([file, contents]) => before.get(file) !== contents).map(([file]) => file);
    expect(changed).toEqual([BUNDLE_PATHS.compose, BUNDLE_PATHS.plan]);
    expect(planConfigApply(changed, everyService)).toEqual([]);
  });

  it("skips services that Compose just recreated or that are not running", () => {
    expect(planConfigApply(["prometheus/prometheus.yml", "jaeger/config.yaml"], new Set(["loki"]))).toEqual([]);
  });

  it("a restart wins over a reload for the same service", () => {
    expect(planConfigApply(["grafana/provisioning/datasources/datasources.yml", "grafana/dashboards/x.json"], running)).toEqual([
      { component: "grafana", service: "grafana", action: "restart" },
    ]);
  });
});
