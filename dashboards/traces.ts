/**
 * Traces: rate, errors and latency per operation from span metrics, recent traces from Jaeger, and
 * links to search further in Explore or the Jaeger UI.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { type DashboardContext, exploreUrl } from "./lib/context.ts";
import { type BuiltDashboard, DashboardDraft } from "./lib/draft.ts";
import { crossLinks, tablePanel, textPanel, timeseriesPanel } from "./lib/panels.ts";
import { errorRatio, jaegerSearch, prom } from "./lib/queries.ts";
import { SPAN_CALLS, SPAN_DURATION } from "./lib/span-metrics.ts";
import { promLabelValues } from "./lib/variables.ts";

const SPANS = 'service_name="$service"';
const ERROR_SPANS = `${SPANS}, status_code="STATUS_CODE_ERROR"`;
const NO_ERRORS = "A healthy service records no spans with an error status.";

export function traces(context: DashboardContext): BuiltDashboard {
  // Single-select: a Jaeger search takes exactly one service.
  const draft = new DashboardDraft("traces", {
    title: "Traces",
    description: "Rate, errors and latency per operation (span metrics), and recent traces from Jaeger.",
    refresh: "30s",
    from: "now-1h",
    variables: [promLabelValues("service", SPAN_CALLS, { label: "Service", labelName: "service_name" })],
  });
  const rate = (filter: string, window: string) => `sum by (span_name, span_kind) (rate(${SPAN_CALLS}{${filter}}[${window}]))`;
  const p95 = (window: string) => `histogram_quantile(0.95, sum by (span_name, span_kind, le) (rate(${SPAN_DURATION}_bucket{${SPANS}}[${window}])))`;

  draft
    .row("Operations (span metrics)")
    .panel(
      timeseriesPanel("Spans by operation", { unit: units.OpsPerSecond, min: 0 }).links(crossLinks(context, [["Service overview", "service-overview"]], "${service:queryparam}")),
      [prom(rate(SPANS, "$__rate_interval"), { legend: "{{span_kind}} {{span_name}}" })],
      { w: 8, h: 8 },
    )
    .panel(
      timeseriesPanel("Error ratio by operation", { unit: units.PercentUnit, min: 0 }),
      [prom(errorRatio(rate(ERROR_SPANS, "$__rate_interval"), rate(SPANS, "$__rate_interval")), { legend: "{{span_kind}} {{span_name}}" })],
      { w: 8, h: 8 },
    )
    .panel(
      timeseriesPanel("Latency p95 by operation", { unit: units.Milliseconds, min: 0, description: "Exemplars (dots) open the trace they were recorded from." }),
      [prom(p95("$__rate_interval"), { legend: "{{span_kind}} {{span_name}}", exemplar: true })],
      { w: 8, h: 8 },
    )
    .panel(
      tablePanel("Operations in the time range")
        .withTransformation({ id: "merge", options: {} })
        .withTransformation({
          id: "organize",
          options: {
            excludeByName: { Time: true },
            renameByName: { span_name: "Operation", span_kind: "Kind", "Value #A": "Spans/s", "Value #B": "Error ratio", "Value #C": "p95 (ms)" },
          },
        })
        .overrideByName("Spans/s", [{ id: "unit", value: units.OpsPerSecond }])
        .overrideByName("Error ratio", [{ id: "unit", value: units.PercentUnit }])
        .overrideByName("p95 (ms)", [{ id: "unit", value: units.Milliseconds }]),
      [
        prom(rate(SPANS, "$__range"), { instant: true, table: true }),
        prom(errorRatio(rate(ERROR_SPANS, "$__range"), rate(SPANS, "$__range")), { instant: true, table: true }),
        prom(p95("$__range"), { instant: true, table: true }),
      ],
      { w: 24, h: 8 },
    );

  return draft
    .row("Traces (Jaeger)")
    .panel(tablePanel("Recent traces"), [jaegerSearch({ service: "$service", limit: 20 })], { w: 12, h: 10 })
    .panel(tablePanel("Recent traces with errors"), [jaegerSearch({ service: "$service", tags: "error=true", limit: 20 }, NO_ERRORS)], { w: 12, h: 10 })
    .panel(
      textPanel(
        "Search further",
        [
          `- [Search $service in Explore](${exploreUrl("jaeger", { queryType: "search", service: "$service" })}): filter by operation, tags and duration; compare with logs side by side.`,
          `- [Jaeger UI](${context.jaegerUiUrl}/search?service=$service): trace comparison and the service dependency graph.`,
          "- Span metrics need the service's OpenTelemetry `service.name` to equal its name in stack.config.ts.",
        ].join("\n"),
      ),
      [],
      { w: 24, h: 4 },
    )
    .build();
}
