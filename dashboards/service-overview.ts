/**
 * RED (rate, errors, duration) per declared service, from two sources that should agree:
 * - the service's own metrics, following the OpenTelemetry HTTP semantic conventions as Prometheus
 *   names them: histogram `http_server_request_duration_seconds` with `http_request_method`,
 *   `http_route`, `http_response_status_code`, and gauge `http_server_active_requests`; scraped
 *   with `job` and `service` = the service name;
 * - span metrics the Collector derives from its traces (`traces_span_metrics_*`, `service_name` =
 *   the service's OpenTelemetry `service.name`, which must equal its name in stack.config.ts).
 * ServiceDown alerts link here.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { ANOMALY_BANDS } from "../scripts/stack/resolve/anomaly-bands.ts";
import type { DashboardContext } from "./lib/context.ts";
import { type BuiltDashboard, DashboardDraft } from "./lib/draft.ts";
import { crossLinks, healthMappings, statPanel, thresholds, timeseriesPanel } from "./lib/panels.ts";
import { errorRatio, prom } from "./lib/queries.ts";
import { SPAN_CALLS, SPAN_DURATION } from "./lib/span-metrics.ts";
import { promLabelValues } from "./lib/variables.ts";

const REQUESTS = "http_server_request_duration_seconds";
const SERVICE = 'service=~"$service"';
const SERVER_ERRORS = 'http_response_status_code=~"5.."';
const SERVER_SPANS = 'service_name=~"$service", span_kind="SPAN_KIND_SERVER"';
const NO_5XX = "A healthy service answers no request with a 5xx status.";

export function serviceOverview(context: DashboardContext): BuiltDashboard {
  const draft = new DashboardDraft("service-overview", {
    title: "Service overview",
    description: "Rate, errors and duration of each declared service, from its own HTTP metrics and from the span metrics of its traces.",
    refresh: "30s",
    from: "now-1h",
    variables: [promLabelValues("service", 'up{service!=""}', { label: "Service", allValue: ".+" })],
  });
  const related = crossLinks(
    context,
    [
      ["Logs", "logs"],
      ["Traces", "traces"],
      ["SLOs", "slo"],
      ["Synthetics", "synthetics"],
    ],
    "${service:queryparam}",
  );
  const rate = (filter: string, by: string) => `sum by (${by}) (rate(${REQUESTS}_count{${filter}}[$__rate_interval]))`;
  const latency = (quantile: number, by: string) => `histogram_quantile(${quantile}, sum by (${by}le) (rate(${REQUESTS}_bucket{${SERVICE}}[$__rate_interval])))`;

  draft
    .row("Overview")
    .panel(
      statPanel("Up", { unit: units.NoUnit, mappings: healthMappings(), thresholds: thresholds("red", [1, "green"]), description: "Whether Prometheus can scrape the service (ServiceDown)." }).links(
        related,
      ),
      [prom(`min by (service) (up{${SERVICE}})`, { legend: "{{service}}", instant: true })],
      { w: 4, h: 4 },
    )
    .panel(statPanel("Requests", { unit: units.RequestsPerSecond }), [prom(`sum(rate(${REQUESTS}_count{${SERVICE}}[$__rate_interval]))`)], { w: 5, h: 4 })
    .panel(
      statPanel("Errors (5xx)", { unit: units.PercentUnit, thresholds: thresholds("green", [0.01, "orange"], [0.05, "red"]) }),
      // `or vector(0)`: no 5xx series at all means no errors, not "no data"; the denominator still
      // proves the metric exists.
      [prom(`(sum(rate(${REQUESTS}_count{${SERVICE}, ${SERVER_ERRORS}}[$__rate_interval])) or vector(0)) / sum(rate(${REQUESTS}_count{${SERVICE}}[$__rate_interval]))`)],
      { w: 5, h: 4 },
    )
    .panel(statPanel("Latency p95", { unit: units.Seconds }), [prom(latency(0.95, ""))], { w: 5, h: 4 })
    .panel(statPanel("In flight", { unit: units.NoUnit }), [prom(`sum(http_server_active_requests{${SERVICE}})`)], { w: 5, h: 4 })
    .row("Requests (the service's own metrics)")
    .panel(
      timeseriesPanel("Requests by route", { unit: units.RequestsPerSecond, min: 0 }).links(related),
      [prom(rate(SERVICE, "service, http_request_method, http_route"), { legend: "{{service}} {{http_request_method}} {{http_route}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Requests by status code", { unit: units.RequestsPerSecond, min: 0, stacked: true }),
      [prom(rate(SERVICE, "service, http_response_status_code"), { legend: "{{service}} {{http_response_status_code}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Error ratio (5xx) by route", { unit: units.PercentUnit, min: 0 }),
      [prom(errorRatio(rate(`${SERVICE}, ${SERVER_ERRORS}`, "service, http_route"), rate(SERVICE, "service, http_route")), { legend: "{{service}} {{http_route}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Server errors by route", { unit: units.RequestsPerSecond, min: 0, bars: true }),
      [prom(rate(`${SERVICE}, ${SERVER_ERRORS}`, "service, http_route, http_response_status_code"), { legend: "{{service}} {{http_route}} {{http_response_status_code}}", expectsData: NO_5XX })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Latency percentiles", { unit: units.Seconds, min: 0, description: "Exemplars (dots) link to the traces of individual requests." }),
      [
        prom(latency(0.5, "service, "), { legend: "{{service}} p50" }),
        prom(latency(0.95, "service, "), { legend: "{{service}} p95", exemplar: true }),
        prom(latency(0.99, "service, "), { legend: "{{service}} p99" }),
      ],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Latency p95 by route", { unit: units.Seconds, min: 0 }),
      [prom(latency(0.95, "service, http_route, "), { legend: "{{service}} {{http_route}}", exemplar: true })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("In-flight requests", { unit: units.NoUnit, min: 0 }),
      [prom(`sum by (service) (http_server_active_requests{${SERVICE}})`, { legend: "{{service}}" })],
      { w: 24, h: 6 },
    );

  // The anomaly rules' own series: the signal inside its ±3σ band over the last day.
  const [rateBand, latencyBand] = ANOMALY_BANDS as [(typeof ANOMALY_BANDS)[number], (typeof ANOMALY_BANDS)[number]];
  const band = (signal: typeof rateBand) => [
    prom(`${signal.series}{${SERVICE}}`, { legend: "{{service}}" }),
    prom(`${signal.upper}{${SERVICE}}`, { legend: "{{service}} upper band" }),
    prom(`${signal.lower}{${SERVICE}}`, { legend: "{{service}} lower band" }),
  ];
  const bandNote = "ServiceRequestRateAnomaly / ServiceLatencyAnomaly fire when the signal stays outside the band for 15 minutes (after 3 hours of history).";
  draft
    .row("Anomaly detection (z-score bands over 1 day)")
    .panel(timeseriesPanel("Request rate and its band", { unit: units.RequestsPerSecond, min: 0, description: bandNote }), band(rateBand), { w: 12, h: 8 })
    .panel(timeseriesPanel("Latency p95 and its band", { unit: units.Seconds, min: 0, description: bandNote }), band(latencyBand), { w: 12, h: 8 });

  if (context.enabled.otelCollector) {
    const spanRate = (filter: string) => `sum by (service_name, span_name) (rate(${SPAN_CALLS}{${filter}}[$__rate_interval]))`;
    draft
      .row("Operations (span metrics from traces)")
      .panel(
        timeseriesPanel("Server spans by operation", { unit: units.RequestsPerSecond, min: 0 }),
        [prom(spanRate(SERVER_SPANS), { legend: "{{service_name}} {{span_name}}" })],
        { w: 8, h: 8 },
      )
      .panel(
        timeseriesPanel("Span error ratio by operation", { unit: units.PercentUnit, min: 0 }),
        [prom(errorRatio(spanRate(`${SERVER_SPANS}, status_code="STATUS_CODE_ERROR"`), spanRate(SERVER_SPANS)), { legend: "{{service_name}} {{span_name}}" })],
        { w: 8, h: 8 },
      )
      .panel(
        timeseriesPanel("Span latency p95 by operation", { unit: units.Milliseconds, min: 0 }),
        [
          prom(`histogram_quantile(0.95, sum by (service_name, span_name, le) (rate(${SPAN_DURATION}_bucket{${SERVER_SPANS}}[$__rate_interval])))`, {
            legend: "{{service_name}} {{span_name}}",
            exemplar: true,
          }),
        ],
        { w: 8, h: 8 },
      );
  }
  return draft.build();
}
