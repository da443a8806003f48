/** Alerts overview: what fires now (Prometheus ALERTS) and whether Alertmanager delivers it. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { DashboardContext } from "./lib/context.ts";
import { type BuiltDashboard, DashboardDraft } from "./lib/draft.ts";
import { healthMappings, statPanel, tablePanel, thresholds, timeseriesPanel } from "./lib/panels.ts";
import { prom } from "./lib/queries.ts";

const WATCHDOG_ONLY = "Only the always-firing Watchdog alert is active on a healthy stack, and it is left out here.";

/** Alertmanager's delivery failures per integration; stack health shows the same panel. */
export function notificationFailuresPanel() {
  return {
    panel: timeseriesPanel("Alertmanager notification failures", {
      unit: units.OpsPerSecond,
      min: 0,
      description: "Notifications Alertmanager gave up on, per integration and reason (AlertmanagerNotificationsFailing).",
    }),
    queries: [
      // Alertmanager creates these series at 0 for every integration, so a healthy stack charts zeros.
      prom("sum by (integration, reason) (rate(alertmanager_notifications_failed_total[$__rate_interval]))", { legend: "{{integration}} {{reason}}" }),
    ],
  };
}

export function alertsOverview(context: DashboardContext): BuiltDashboard {
  const draft = new DashboardDraft("alerts-overview", {
    title: "Alerts overview",
    description: "Alerts firing now by severity and category, and Alertmanager's intake and delivery.",
    refresh: "30s",
    from: "now-6h",
  });

  draft
    .row("Now")
    .panel(
      statPanel("Firing by severity", { unit: units.NoUnit, noValue: "0", thresholds: thresholds("green", [1, "orange"]) }),
      [prom('count by (severity) (ALERTS{alertstate="firing", alertname!="Watchdog"})', { legend: "{{severity}}", instant: true, expectsData: WATCHDOG_ONLY })],
      { w: 8, h: 5 },
    )
    .panel(
      statPanel("Pending", {
        unit: units.NoUnit,
        noValue: "0",
        description: "Alerts whose condition holds but not yet for their `for:` duration.",
        thresholds: thresholds("green", [1, "orange"]),
      }),
      [prom('count(ALERTS{alertstate="pending"})', { instant: true, expectsData: "Nothing is about to fire on a healthy stack." })],
      { w: 8, h: 5 },
    )
    .panel(
      statPanel("Watchdog", {
        unit: units.NoUnit,
        description: "Always firing by design: when it is missing, rule evaluation is broken.",
        mappings: healthMappings("FIRING (alerting works)", "MISSING"),
        noValue: "MISSING",
        thresholds: thresholds("red", [1, "green"]),
      }),
      [prom('max(ALERTS{alertname="Watchdog", alertstate="firing"})', { instant: true })],
      { w: 8, h: 5 },
    )
    .row("Over time")
    .panel(
      timeseriesPanel("Firing alerts by severity", { unit: units.NoUnit, min: 0, stacked: true }),
      [prom('count by (severity) (ALERTS{alertstate="firing"})', { legend: "{{severity}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Firing alerts by category", { unit: units.NoUnit, min: 0, stacked: true }),
      [prom('count by (category) (ALERTS{alertstate="firing"})', { legend: "{{category}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      tablePanel("Firing alerts", { description: "One row per firing alert with its labels." }).withTransformation({
        id: "organize",
        options: { excludeByName: { Time: true, Value: true, __name__: true, alertstate: true } },
      }),
      [prom('ALERTS{alertstate="firing"}', { instant: true, table: true })],
      { w: 24, h: 8 },
    );

  if (context.enabled.alertmanager) {
    const failures = notificationFailuresPanel();
    draft
      .row("Alertmanager")
      .panel(
        statPanel("Alerts held by Alertmanager", { unit: units.NoUnit }),
        [prom("sum by (state) (alertmanager_alerts)", { legend: "{{state}}", instant: true })],
        { w: 6, h: 8 },
      )
      .panel(
        timeseriesPanel("Alerts received", { unit: units.OpsPerSecond, min: 0 }),
        [prom("sum by (status) (rate(alertmanager_alerts_received_total[$__rate_interval]))", { legend: "{{status}}" })],
        { w: 6, h: 8 },
      )
      .panel(
        timeseriesPanel("Notifications sent", { unit: units.OpsPerSecond, min: 0 }),
        [prom("sum by (integration) (rate(alertmanager_notifications_total[$__rate_interval]))", { legend: "{{integration}}" })],
        { w: 6, h: 8 },
      )
      .panel(failures.panel, failures.queries, { w: 6, h: 8 });
  }
  return draft.build();
}
