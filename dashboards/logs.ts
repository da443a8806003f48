/**
 * Logs in Loki: volume by level and service, errors, recurring patterns and the lines themselves.
 * Streams carry the labels every log agent sets (service, category, level, container, compose_service,
 * compose_project); trace_id and request_id are structured metadata, and Grafana's Loki datasource
 * turns trace_id into a link to the trace in Jaeger.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { DashboardContext } from "./lib/context.ts";
import { type BuiltDashboard, DashboardDraft } from "./lib/draft.ts";
import { crossLinks, logsPanel, tablePanel, timeseriesPanel } from "./lib/panels.ts";
import { logql } from "./lib/queries.ts";
import { lokiLabelValues, textVariable } from "./lib/variables.ts";

/** Selected streams; `service=~".+"` under "All" keeps the selector valid (Loki needs one non-empty matcher). */
const STREAMS = '{service=~"$service", level=~"$level"}';
const PROBLEM_STREAMS = '{service=~"$service", level=~"error|fatal|critical|warn|warning"}';
const ERROR_STREAMS = '{service=~"$service", level=~"error|fatal|critical"}';
const SEARCH = '|~ "(?i)$search"';
/**
 * A line's "pattern": digits collapsed and the line cut short, so repeats of one message with
 * different timestamps, ids and durations count together.
 */
const PATTERN = '| label_format normalized=`{{ regexReplaceAll "[0-9]+" __line__ "N" | trunc 120 }}`';
const QUIET = "A healthy stack may log no warnings or errors at all.";

export function logs(context: DashboardContext): BuiltDashboard {
  const draft = new DashboardDraft("logs", {
    title: "Logs",
    description: "Log volume by level and service, errors, recurring patterns and the lines, from Loki.",
    refresh: "30s",
    from: "now-1h",
    variables: [
      lokiLabelValues("service", '{service=~".+"}', { label: "Service", allValue: ".+" }),
      // Lines without a level label match "All" (.*) too.
      lokiLabelValues("level", '{level=~".+"}', { label: "Level", allValue: ".*" }),
      textVariable("search", "Search", "Case-insensitive regular expression the lines must match."),
    ],
  });
  const related = crossLinks(
    context,
    [
      ["Service overview", "service-overview"],
      ["Traces", "traces"],
    ],
    "${service:queryparam}",
  );

  return draft
    .row("Volume")
    .panel(
      timeseriesPanel("Log lines by level", { unit: units.Short, min: 0, bars: true, stacked: true }),
      [logql(`sum by (level) (count_over_time(${STREAMS} ${SEARCH} [$__interval]))`, { legend: "{{level}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Log lines by service", { unit: units.Short, min: 0, bars: true, stacked: true }).links(related),
      [logql(`sum by (service) (count_over_time(${STREAMS} ${SEARCH} [$__interval]))`, { legend: "{{service}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Warnings and errors by service", { unit: units.Short, min: 0, bars: true, stacked: true }),
      [logql(`sum by (service, level) (count_over_time(${PROBLEM_STREAMS} ${SEARCH} [$__interval]))`, { legend: "{{service}} {{level}}", expectsData: QUIET })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Log bytes by service", { unit: units.BytesIEC, min: 0, stacked: true }),
      [logql(`sum by (service) (bytes_over_time(${STREAMS} [$__interval]))`, { legend: "{{service}}" })],
      { w: 12, h: 8 },
    )
    .row("Top talkers and patterns")
    .panel(
      tablePanel("Busiest services", { description: "Lines in the selected time range." }),
      [logql(`topk(10, sum by (service) (count_over_time(${STREAMS} ${SEARCH} [$__range])))`, { legend: "{{service}}", instant: true })],
      { w: 8, h: 8 },
    )
    .panel(
      tablePanel("Top warning and error patterns", { description: "Warning and error lines with digits collapsed to N, most frequent first." }),
      [logql(`topk(10, sum by (service, normalized) (count_over_time(${PROBLEM_STREAMS} ${SEARCH} ${PATTERN} [$__range])))`, { instant: true, expectsData: QUIET })],
      { w: 16, h: 8 },
    )
    .row("Lines")
    .panel(logsPanel("Error lines"), [logql(`${ERROR_STREAMS} ${SEARCH}`, { expectsData: QUIET })], { w: 24, h: 10 })
    .panel(logsPanel("Log lines", "Expand a line for its labels and structured metadata; trace_id links to the trace."), [logql(`${STREAMS} ${SEARCH}`)], {
      w: 24,
      h: 14,
    })
    .build();
}
