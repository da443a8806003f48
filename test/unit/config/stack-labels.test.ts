/** The reserved label names stay in step with the labels the rendered files set. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { STACK_LABELS } from "../../../scripts/stack/config/stack-labels.ts";
import { SMOKE_LABEL } from "../../../scripts/stack/render/alert-routing.ts";
import { loadGoldenModel } from "../../helpers/golden-configs.ts";

interface PrometheusConfig {
  scrape_configs: Array<{ static_configs?: Array<{ labels?: Record<string, string> }> }>;
}
interface RuleFile {
  groups: Array<{ rules: Array<{ labels?: Record<string, string> }> }>;
}

describe("labels the stack sets itself", () => {
  it("include every label of the rendered scrape jobs and rules, and no label of the user's", async () => {
    const model = await loadGoldenModel("everything");
    const bundle = renderBundle(model);
    const userLabels = new Set(model.config.services.flatMap((service) => Object.keys(service.labels)));
    const prometheus = parse(bundle.get("prometheus/prometheus.yml")!) as PrometheusConfig;
    const scrapeLabels = prometheus.scrape_configs.flatMap((job) => (job.static_configs ?? []).flatMap((config) => Object.keys(config.labels ?? {})));
    const ruleLabels = [...bundle]
      .filter(([path]) => /^prometheus\/rules\/[^/]+\.yml$/.test(path))
      .flatMap(([, text]) => (parse(text) as RuleFile).groups.flatMap((group) => group.rules.flatMap((rule) => Object.keys(rule.labels ?? {}))));
    const used = new Set([...scrapeLabels.filter((label) => !userLabels.has(label)), ...ruleLabels, SMOKE_LABEL]);
    expect([...used].filter((label) => !(label in STACK_LABELS))).toEqual([]);
    expect([...userLabels].filter((label) => label in STACK_LABELS)).toEqual([]);
  });
});
