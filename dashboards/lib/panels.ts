/**
 * Panel factories with the obs-stack defaults (legends as tables, shared tooltips, last-value
 * stats). They return the SDK's typed builders, so a dashboard can still set anything the panel
 * kind supports; the draft places them and adds their queries.
 */
import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import * as logs from "@grafana/grafana-foundation-sdk/logs";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as text from "@grafana/grafana-foundation-sdk/text";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { type DashboardContext, dashboardUrl } from "./context.ts";

type Color = "green" | "orange" | "red" | "blue" | "purple" | "text" | "transparent";

/** Absolute thresholds: the base color, then [from value, color] steps in ascending order. */
export function thresholds(base: Color, ...steps: Array<[number, Color]>): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))]);
}

/** Value → text mappings for 0/1 health series (up, probe_success). */
export function healthMappings(ok = "UP", failing = "DOWN"): dashboard.ValueMapping[] {
  return [
    {
      type: dashboard.MappingType.ValueToText,
      options: { "0": { text: failing, color: "red", index: 0 }, "1": { text: ok, color: "green", index: 1 } },
    },
  ];
}

/** Links to those of the named dashboards this stack ships, each with the same URL params. */
export function crossLinks(context: DashboardContext, targets: ReadonlyArray<[title: string, uid: string]>, ...params: string[]): dashboard.DashboardLinkBuilder[] {
  return targets.flatMap(([title, uid]) => {
    const url = dashboardUrl(context, uid, ...params);
    return url ? [new dashboard.DashboardLinkBuilder(title).url(url).targetBlank(false)] : [];
  });
}

interface ChartOptions {
  unit: string;
  description?: string;
  min?: number;
  max?: number;
  /** Stacked areas: parts of a whole (CPU modes, memory). */
  stacked?: boolean;
  /** Bars instead of lines: counts per interval (log volume). */
  bars?: boolean;
  /** Drawn as dashed lines: alert thresholds on burn rates, limits. */
  thresholdLines?: dashboard.ThresholdsConfigBuilder;
}

export function timeseriesPanel(title: string, options: ChartOptions): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(title)
    .unit(options.unit)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(["mean", "max", "lastNotNull"]),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .lineWidth(1)
    .fillOpacity(options.stacked || options.bars ? 60 : 10)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(false);
  if (options.description) panel.description(options.description);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  if (options.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (options.bars) panel.drawStyle(common.GraphDrawStyle.Bars);
  if (options.thresholdLines) {
    panel.thresholds(options.thresholdLines);
    panel.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  }
  return panel;
}

interface SingleValueOptions {
  unit: string;
  description?: string;
  thresholds?: dashboard.ThresholdsConfigBuilder;
  mappings?: dashboard.ValueMapping[];
  /** Shown instead of "No data": e.g. "0" for counts of bad things that only exist when they happen. */
  noValue?: string;
  min?: number;
  max?: number;
}

function applySingleValue<T extends stat.PanelBuilder | gauge.PanelBuilder | bargauge.PanelBuilder>(panel: T, options: SingleValueOptions): T {
  panel.unit(options.unit).reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
  if (options.description) panel.description(options.description);
  panel.thresholds(options.thresholds ?? thresholds("green"));
  if (options.mappings) panel.mappings(options.mappings);
  if (options.noValue !== undefined) panel.noValue(options.noValue);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  return panel;
}

export function statPanel(title: string, options: SingleValueOptions): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(title)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.Area)
    .textMode(common.BigValueTextMode.Auto)
    .justifyMode(common.BigValueJustifyMode.Auto);
  return applySingleValue(panel, options);
}

export function gaugePanel(title: string, options: SingleValueOptions & { min: number; max: number }): gauge.PanelBuilder {
  return applySingleValue(new gauge.PanelBuilder().title(title).showThresholdMarkers(true), options);
}

export function barGaugePanel(title: string, options: SingleValueOptions): bargauge.PanelBuilder {
  const panel = new bargauge.PanelBuilder()
    .title(title)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .orientation(common.VizOrientation.Horizontal)
    .showUnfilled(true);
  return applySingleValue(panel, options);
}

export function tablePanel(title: string, options: { description?: string; unit?: string } = {}): table.PanelBuilder {
  const panel = new table.PanelBuilder().title(title).showHeader(true).cellHeight(common.TableCellHeight.Sm);
  if (options.description) panel.description(options.description);
  if (options.unit) panel.unit(options.unit);
  return panel;
}

export function logsPanel(title: string, description?: string): logs.PanelBuilder {
  const panel = new logs.PanelBuilder()
    .title(title)
    .showTime(true)
    .showLabels(false)
    .showCommonLabels(false)
    .wrapLogMessage(true)
    .prettifyLogMessage(false)
    .enableLogDetails(true)
    .dedupStrategy(common.LogsDedupStrategy.None)
    .sortOrder(common.LogsSortOrder.Descending);
  if (description) panel.description(description);
  return panel;
}

export function textPanel(title: string, markdown: string): text.PanelBuilder {
  return new text.PanelBuilder().title(title).mode(text.TextMode.Markdown).content(markdown);
}
