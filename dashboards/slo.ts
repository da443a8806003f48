/**
 * SLOs: error budget left and burn rates per service and objective, read from the recording rules
 * scripts/stack/render/slo-rules.ts generates (`slo:sli_error:ratio_rate<window>`,
 * `slo:objective:ratio`, `slo:error_budget_remaining:ratio`, each labelled service and slo).
 * Burn-rate panels mirror the multi-window alerts, thresholds included. SLO alerts link here.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { BURN_ALERTS } from "../scripts/stack/resolve/slo-objectives.ts";
import type { DashboardContext } from "./lib/context.ts";
import { type BuiltDashboard, DashboardDraft } from "./lib/draft.ts";
import { barGaugePanel, crossLinks, tablePanel, thresholds, timeseriesPanel } from "./lib/panels.ts";
import { prom } from "./lib/queries.ts";
import { promLabelValues } from "./lib/variables.ts";

const SELECTED = 'service=~"$service"';
const errorRatio = (window: string) => `slo:sli_error:ratio_rate${window}{${SELECTED}}`;
const budget = `(1 - slo:objective:ratio{${SELECTED}})`;
/** How many times faster than sustainable the budget burns: 1 spends it exactly over the SLO window. */
const burnRate = (window: string) => `${errorRatio(window)} / on (service, slo) ${budget}`;

export function slo(context: DashboardContext): BuiltDashboard {
  const draft = new DashboardDraft("slo", {
    title: "SLOs",
    description: "Error budget left and burn rates of every declared service level objective.",
    refresh: "1m",
    from: "now-24h",
    variables: [promLabelValues("service", "slo:objective:ratio", { label: "Service", allValue: ".+" })],
  });

  draft
    .row("Error budget")
    .panel(
      barGaugePanel("Error budget left", {
        unit: units.PercentUnit,
        min: 0,
        max: 1,
        description: "Share of the SLO window's error budget not yet spent; below zero the objective is missed.",
        thresholds: thresholds("red", [0, "orange"], [0.25, "green"]),
      }).links(crossLinks(context, [["Service overview", "service-overview"]], "${service:queryparam}")),
      [prom(`slo:error_budget_remaining:ratio{${SELECTED}}`, { legend: "{{service}} {{slo}}", instant: true })],
      { w: 12, h: 8 },
    )
    .panel(
      tablePanel("Objectives")
        .withTransformation({ id: "merge", options: {} })
        .withTransformation({
          id: "organize",
          options: { excludeByName: { Time: true }, renameByName: { "Value #A": "Objective", "Value #B": "Error ratio (1d)", "Value #C": "Budget left" } },
        })
        .overrideByName("Objective", [{ id: "unit", value: units.PercentUnit }, { id: "decimals", value: 2 }])
        .overrideByName("Error ratio (1d)", [{ id: "unit", value: units.PercentUnit }])
        .overrideByName("Budget left", [{ id: "unit", value: units.PercentUnit }]),
      [
        prom(`slo:objective:ratio{${SELECTED}}`, { instant: true, table: true }),
        prom(errorRatio("1d"), { instant: true, table: true }),
        prom(`slo:error_budget_remaining:ratio{${SELECTED}}`, { instant: true, table: true }),
      ],
      { w: 12, h: 8 },
    )
    .row("Burn rates (as the alerts see them)");
  for (const burn of BURN_ALERTS)
    draft.panel(
      timeseriesPanel(`${burn.alert === "SLOErrorBudgetFastBurn" ? "Fast" : "Slow"} burn: ${burn.long} and ${burn.short} windows`, {
        unit: "suffix:×",
        min: 0,
        description: `${burn.alert} (${burn.severity}) fires when both windows burn faster than ${burn.factor}× for the rule's \`for\` (from alerting.latencyBudget.${burn.severity}).`,
        thresholdLines: thresholds("transparent", [burn.factor, burn.severity === "critical" ? "red" : "orange"]),
      }),
      [prom(burnRate(burn.long), { legend: `{{service}} {{slo}} ${burn.long}` }), prom(burnRate(burn.short), { legend: `{{service}} {{slo}} ${burn.short}` })],
      { w: 12, h: 8 },
    );

  return draft
    .row("Over time")
    .panel(
      timeseriesPanel("Error ratio (1h) vs. budget", { unit: units.PercentUnit, min: 0, description: "The dashed series is the error ratio the objective allows." }).overrideByRegexp(
        ".* budget$",
        [{ id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } }],
      ),
      [prom(errorRatio("1h"), { legend: "{{service}} {{slo}}" }), prom(budget, { legend: "{{service}} {{slo}} budget" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Error budget left over time", { unit: units.PercentUnit, thresholdLines: thresholds("transparent", [0, "red"]) }),
      [prom(`slo:error_budget_remaining:ratio{${SELECTED}}`, { legend: "{{service}} {{slo}}" })],
      { w: 12, h: 8 },
    )
    .build();
}
