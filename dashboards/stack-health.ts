/**
 * Stack health: is the monitoring itself working? Every component up, Prometheus scraping and rule
 * evaluation, alert delivery, and the log and trace pipelines — one section per enabled component.
 * Alerts of the stack's own rule packs link here (`dashboard: /d/stack-health`).
 */
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { SERVICE_NAMES } from "../scripts/stack/catalog/components.ts";
import { notificationFailuresPanel } from "./alerts-overview.ts";
import type { DashboardContext } from "./lib/context.ts";
import { type BuiltDashboard, DashboardDraft } from "./lib/draft.ts";
import { crossLinks, healthMappings, statPanel, thresholds, timeseriesPanel } from "./lib/panels.ts";
import { prom } from "./lib/queries.ts";

const COLLECTOR = `job="${SERVICE_NAMES.otelCollector}"`;
const NO_OTLP_METRICS = "Only services that push OTLP metrics to the Collector produce these; scraped services do not.";
const NO_OTLP_LOGS = "Only services that push OTLP logs to the Collector produce these; container logs go through the dedicated agent (Promtail or Alloy).";
const NO_EXPORT_FAILURES = "Exports only fail while a backend is down or rejects data.";

export function stackHealth(context: DashboardContext): BuiltDashboard {
  const { enabled } = context;
  const collectorLogs = context.containerLogsViaCollector ? true : NO_OTLP_LOGS;
  const draft = new DashboardDraft("stack-health", {
    title: "Stack health",
    description: "Is the monitoring itself working: components up, scraping, rule evaluation, alert delivery, log and trace pipelines.",
    refresh: "30s",
    from: "now-1h",
  });

  draft
    .row("Overview")
    .panel(statPanel("Targets up", { unit: units.NoUnit, thresholds: thresholds("red", [1, "green"]) }), [prom("sum(up)", { instant: true })], { w: 6, h: 4 })
    .panel(
      statPanel("Targets down", { unit: units.NoUnit, thresholds: thresholds("green", [1, "red"]), description: "Scrape targets Prometheus cannot reach (TargetDown)." }),
      [prom("sum(up == bool 0)", { instant: true })],
      { w: 6, h: 4 },
    )
    .panel(
      statPanel("Firing alerts", {
        unit: units.NoUnit,
        noValue: "0",
        thresholds: thresholds("green", [1, "orange"]),
        description: "Firing alerts other than the always-firing Watchdog.",
      }),
      [
        prom('count(ALERTS{alertstate="firing", alertname!="Watchdog"})', {
          instant: true,
          expectsData: "Only the always-firing Watchdog alert is active on a healthy stack, and it is left out here.",
        }),
      ],
      { w: 6, h: 4 },
    )
    .panel(statPanel("Active series", { unit: units.Short }), [prom("sum(prometheus_tsdb_head_series)", { instant: true })], { w: 6, h: 4 })
    .panel(
      statPanel("Components", {
        unit: units.NoUnit,
        mappings: healthMappings(),
        thresholds: thresholds("red", [1, "green"]),
        description: "Each stack component's own metrics endpoint, as Prometheus scrapes it.",
      })
        .textMode(common.BigValueTextMode.ValueAndName)
        .graphMode(common.BigValueGraphMode.None)
        .links(crossLinks(context, [["Host", "host"], ["Containers", "containers"], ["Alerts overview", "alerts-overview"]])),
      [prom('min by (component) (up{component!=""})', { legend: "{{component}}", instant: true })],
      { w: 24, h: 4 },
    );

  draft
    .row("Prometheus")
    .panel(
      timeseriesPanel("Scrape duration by job", { unit: units.Seconds, min: 0 }),
      [prom("max by (job) (scrape_duration_seconds)", { legend: "{{job}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Rule group evaluation duration", { unit: units.Seconds, min: 0 }),
      [prom("max by (rule_group) (prometheus_rule_group_last_duration_seconds)", { legend: "{{rule_group}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Samples ingested", { unit: units.Short, min: 0, description: "Samples appended to the TSDB head per second: scraped and pushed." }),
      [prom("sum(rate(prometheus_tsdb_head_samples_appended_total[$__rate_interval]))", { legend: "samples/s" })],
      { w: 8, h: 8 },
    )
    .panel(
      timeseriesPanel("Rule evaluation failures", { unit: units.OpsPerSecond, min: 0, description: "PrometheusRuleEvaluationFailures fires on any." }),
      [prom("sum by (rule_group) (rate(prometheus_rule_evaluation_failures_total[$__rate_interval]))", { legend: "{{rule_group}}" })],
      { w: 8, h: 8 },
    )
    .panel(
      timeseriesPanel("Pushed samples (OTLP, remote write)", {
        unit: units.RequestsPerSecond,
        min: 0,
        description: "Requests to Prometheus's push endpoints by status code (PrometheusIngestionErrors).",
      }),
      [
        prom('sum by (handler, code) (rate(prometheus_http_requests_total{handler=~"/api/v1/otlp/v1/metrics|/api/v1/write"}[$__rate_interval]))', {
          legend: "{{handler}} {{code}}",
          expectsData: enabled.otelCollector ? true : "Without the Collector nothing pushes samples until k6 runs.",
        }),
      ],
      { w: 8, h: 8 },
    );

  if (enabled.alertmanager) {
    const failures = notificationFailuresPanel();
    draft
      .row("Alert delivery")
      .panel(
        timeseriesPanel("Prometheus → Alertmanager", {
          unit: units.OpsPerSecond,
          min: 0,
          description: "Alerts Prometheus sent to Alertmanager, and those it failed to send (PrometheusNotificationsFailing).",
        }),
        [
          prom("sum(rate(prometheus_notifications_sent_total[$__rate_interval]))", { legend: "sent" }),
          // Prometheus creates this series at 0 per Alertmanager, so it has data while nothing fails.
          prom("sum(rate(prometheus_notifications_errors_total[$__rate_interval]))", { legend: "errors" }),
        ],
        { w: 12, h: 8 },
      )
      .panel(failures.panel, failures.queries, { w: 12, h: 8 });
  }

  if (enabled.loki || context.containerLogsViaCollector) draft.row("Logs pipeline");
  if (context.containerLogsViaCollector)
    draft.panel(
      timeseriesPanel("Collector: container log records shipped and failed", {
        unit: units.Short,
        min: 0,
        description: "Log records the Collector sent to Loki over OTLP, and those in failed attempts (OtelcolExporterSendFailing).",
      }),
      [
        prom(`sum(rate(otelcol_exporter_sent_log_records{${COLLECTOR}, exporter="otlp_http/loki"}[$__rate_interval]))`, { legend: "sent" }),
        prom(`sum(rate(otelcol_exporter_send_failed_log_records{${COLLECTOR}, exporter="otlp_http/loki"}[$__rate_interval]))`, {
          legend: "failed",
          expectsData: NO_EXPORT_FAILURES,
        }),
      ],
      { w: 24, h: 8 },
    );
  if (enabled.loki) {
    draft
      .panel(
        timeseriesPanel("Loki: log lines received", { unit: units.Short, min: 0 }),
        [prom("sum(rate(loki_distributor_lines_received_total[$__rate_interval]))", { legend: "lines/s" })],
        { w: 8, h: 8 },
      )
      .panel(
        timeseriesPanel("Loki: bytes received", { unit: units.BytesPerSecondIEC, min: 0 }),
        [prom("sum(rate(loki_distributor_bytes_received_total[$__rate_interval]))", { legend: "received" })],
        { w: 8, h: 8 },
      )
      .panel(
        timeseriesPanel("Loki: lines discarded", { unit: units.Short, min: 0, description: "Lines Loki rejected, by reason (LokiDiscardingSamples)." }),
        [
          prom("sum by (reason) (rate(loki_discarded_samples_total[$__rate_interval]))", {
            legend: "{{reason}}",
            expectsData: "Loki discards nothing on a healthy stack (rate limits, too old or too long lines).",
          }),
        ],
        { w: 8, h: 8 },
      );
    if (enabled.promtail)
      draft.panel(
        timeseriesPanel("Promtail: entries shipped and dropped", { unit: units.Short, min: 0, description: "Dropped = given up after all retries (PromtailDroppingEntries)." }),
        [
          prom("sum(rate(promtail_sent_entries_total[$__rate_interval]))", { legend: "sent" }),
          prom("sum(rate(promtail_dropped_entries_total[$__rate_interval]))", { legend: "dropped", expectsData: "Promtail drops nothing while Loki accepts its pushes." }),
        ],
        { w: 24, h: 8 },
      );
    if (enabled.alloy)
      draft.panel(
        timeseriesPanel("Alloy: entries shipped and dropped", { unit: units.Short, min: 0, description: "Dropped = given up after all retries (AlloyDroppingEntries)." }),
        [
          prom("sum(rate(loki_write_sent_entries_total[$__rate_interval]))", { legend: "sent" }),
          prom("sum(rate(loki_write_dropped_entries_total[$__rate_interval]))", { legend: "dropped", expectsData: "Alloy drops nothing while Loki accepts its pushes." }),
        ],
        { w: 24, h: 8 },
      );
  }

  if (enabled.otelCollector || enabled.jaeger) draft.row("Traces pipeline");
  if (enabled.otelCollector)
    draft
      .panel(
        timeseriesPanel("Collector: accepted", { unit: units.Short, min: 0, description: "Items the Collector's receivers accepted, by signal." }),
        [
          prom(`sum(rate(otelcol_receiver_accepted_spans{${COLLECTOR}}[$__rate_interval]))`, { legend: "spans" }),
          prom(`sum(rate(otelcol_receiver_accepted_metric_points{${COLLECTOR}}[$__rate_interval]))`, { legend: "metric points", expectsData: NO_OTLP_METRICS }),
          prom(`sum(rate(otelcol_receiver_accepted_log_records{${COLLECTOR}}[$__rate_interval]))`, { legend: "log records", expectsData: collectorLogs }),
        ],
        { w: 8, h: 8 },
      )
      .panel(
        timeseriesPanel("Collector: refused", {
          unit: units.Short,
          min: 0,
          description: "Items the receivers could not push into the pipeline, mostly memory_limiter backpressure (OtelcolReceiverRefusingData).",
        }),
        [
          // The Collector creates the refused series at 0 once its receiver has taken data.
          prom(`sum(rate(otelcol_receiver_refused_spans{${COLLECTOR}}[$__rate_interval]))`, { legend: "spans" }),
          prom(`sum(rate(otelcol_receiver_refused_metric_points{${COLLECTOR}}[$__rate_interval]))`, { legend: "metric points", expectsData: NO_OTLP_METRICS }),
          prom(`sum(rate(otelcol_receiver_refused_log_records{${COLLECTOR}}[$__rate_interval]))`, { legend: "log records", expectsData: collectorLogs }),
        ],
        { w: 8, h: 8 },
      )
      .panel(
        timeseriesPanel("Collector: exported and failed", {
          unit: units.Short,
          min: 0,
          description: "Items sent by each exporter, and items in failed send attempts (OtelcolExporterSendFailing).",
        }),
        [
          prom(`sum by (exporter) (rate(otelcol_exporter_sent_spans{${COLLECTOR}}[$__rate_interval]))`, { legend: "{{exporter}} spans" }),
          prom(`sum by (exporter) (rate(otelcol_exporter_sent_metric_points{${COLLECTOR}}[$__rate_interval]))`, {
            legend: "{{exporter}} metric points",
            expectsData: enabled.prometheus ? true : NO_OTLP_METRICS,
          }),
          prom(`sum by (exporter) (rate(otelcol_exporter_send_failed_spans{${COLLECTOR}}[$__rate_interval]))`, { legend: "{{exporter}} failed spans", expectsData: NO_EXPORT_FAILURES }),
          prom(`sum by (exporter) (rate(otelcol_exporter_send_failed_metric_points{${COLLECTOR}}[$__rate_interval]))`, {
            legend: "{{exporter}} failed metric points",
            expectsData: NO_EXPORT_FAILURES,
          }),
          prom(`sum by (exporter) (rate(otelcol_exporter_send_failed_log_records{${COLLECTOR}}[$__rate_interval]))`, {
            legend: "{{exporter}} failed log records",
            expectsData: NO_EXPORT_FAILURES,
          }),
        ],
        { w: 8, h: 8 },
      );
  if (enabled.jaeger)
    draft.panel(
      timeseriesPanel("Jaeger: spans received", { unit: units.Short, min: 0, description: "Spans Jaeger's OTLP receiver accepted." }),
      [
        // Jaeger 2.13 is built on an older Collector core whose Prometheus reader keeps the `_total`
        // suffix (checked against its /metrics), unlike the Collector contrib 0.161 above.
        prom(`sum(rate(otelcol_receiver_accepted_spans_total{job="${SERVICE_NAMES.jaeger}"}[$__rate_interval]))`, { legend: "spans/s" }),
      ],
      { w: 24, h: 8 },
    );
  return draft.build();
}
