/**
 * The subset of Grafana's dashboard JSON (schemaVersion 41, read by Grafana 10-13) that the
 * obs-stack dashboards use, as a strict zod schema: an unknown key, a misspelt option or an enum
 * value Grafana does not know fails the test instead of being silently ignored by Grafana.
 */
import { z } from "zod";

const int = z.number().int();
const bool = z.boolean();
const str = z.string();

const datasourceRef = z.strictObject({ type: z.enum(["prometheus", "loki", "jaeger", "alertmanager"]), uid: str.min(1) });

const gridPos = z.strictObject({ h: int.min(1), w: int.min(1).max(24), x: int.min(0).max(23), y: int.min(0) });

const link = z.strictObject({
  title: str.min(1),
  type: z.enum(["link", "dashboards"]),
  icon: str,
  tooltip: str,
  tags: z.array(str),
  asDropdown: bool,
  targetBlank: bool,
  includeVars: bool,
  keepTime: bool,
  url: str.min(1).optional(),
});

const thresholds = z.strictObject({
  mode: z.enum(["absolute", "percentage"]),
  steps: z.array(z.strictObject({ value: z.number().nullable(), color: str.min(1) })).min(1),
});

const valueMapping = z.strictObject({
  type: z.literal("value"),
  options: z.record(str, z.strictObject({ text: str, color: str, index: int })),
});

const override = z.strictObject({
  matcher: z.strictObject({ id: z.enum(["byName", "byRegexp"]), options: str }),
  properties: z.array(z.strictObject({ id: str.min(1), value: z.unknown() })).min(1),
});

const timeseriesCustom = z.strictObject({
  lineWidth: int,
  fillOpacity: int.min(0).max(100),
  showPoints: z.enum(["auto", "never", "always"]),
  spanNulls: bool,
  drawStyle: z.enum(["line", "bars", "points"]).optional(),
  stacking: z.strictObject({ mode: z.enum(["none", "normal", "percent"]) }).optional(),
  thresholdsStyle: z.strictObject({ mode: z.enum(["off", "line", "dashed", "area", "line+area", "dashed+area"]) }).optional(),
});

function fieldConfig<Custom extends z.ZodType>(custom: Custom) {
  return z.strictObject({
    defaults: z.strictObject({
      unit: str.min(1).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      noValue: str.optional(),
      thresholds: thresholds.optional(),
      mappings: z.array(valueMapping).optional(),
      custom: custom.optional(),
    }),
    overrides: z.array(override),
  });
}

const refId = str.regex(/^[A-Z]$/);
const promTarget = z.strictObject({
  refId,
  datasource: z.strictObject({ type: z.literal("prometheus"), uid: str }),
  editorMode: z.literal("code"),
  expr: str.min(1),
  legendFormat: str.optional(),
  range: bool,
  instant: bool,
  exemplar: z.literal(true).optional(),
  format: z.literal("table").optional(),
});
const lokiTarget = z.strictObject({
  refId,
  datasource: z.strictObject({ type: z.literal("loki"), uid: str }),
  editorMode: z.literal("code"),
  expr: str.min(1),
  queryType: z.enum(["range", "instant"]),
  legendFormat: str.optional(),
});
const jaegerTarget = z.strictObject({
  refId,
  datasource: z.strictObject({ type: z.literal("jaeger"), uid: str }),
  queryType: z.literal("search"),
  service: str.min(1),
  operation: str.optional(),
  tags: str.optional(),
  limit: int.min(1),
});
const target = z.union([promTarget, lokiTarget, jaegerTarget]);

const transformation = z.strictObject({
  id: z.enum(["merge", "organize"]),
  options: z.strictObject({ excludeByName: z.record(str, bool).optional(), renameByName: z.record(str, str).optional() }),
});

/** Fields every visualization panel has; rows and text panels have their own shapes. */
const panelBase = {
  id: int.min(1),
  title: str.min(1),
  description: str.min(1).optional(),
  transparent: z.literal(false),
  repeatDirection: z.literal("h"),
  gridPos,
  links: z.array(link).optional(),
};
const queryPanel = { ...panelBase, datasource: datasourceRef, targets: z.array(target).min(1) };

const reduceOptions = z.strictObject({ calcs: z.array(str).min(1), values: bool });
const legend = z.strictObject({
  displayMode: z.enum(["list", "table", "hidden"]),
  placement: z.enum(["bottom", "right"]),
  showLegend: bool,
  calcs: z.array(str),
});

const timeseriesPanel = z.strictObject({
  ...queryPanel,
  type: z.literal("timeseries"),
  fieldConfig: fieldConfig(timeseriesCustom),
  options: z.strictObject({
    legend,
    tooltip: z.strictObject({ mode: z.enum(["single", "multi", "none"]), sort: z.enum(["none", "asc", "desc"]) }),
  }),
});

const statPanel = z.strictObject({
  ...queryPanel,
  type: z.literal("stat"),
  fieldConfig: fieldConfig(z.never()),
  options: z.strictObject({
    graphMode: z.enum(["none", "area"]),
    colorMode: z.enum(["value", "background", "background_solid", "none"]),
    justifyMode: z.enum(["auto", "center"]),
    textMode: z.enum(["auto", "value", "value_and_name", "name", "none"]),
    wideLayout: bool,
    showPercentChange: bool,
    percentChangeColorMode: z.enum(["standard", "inverted", "same_as_value"]),
    orientation: z.enum(["auto", "vertical", "horizontal"]),
    reduceOptions,
  }),
});

const gaugePanel = z.strictObject({
  ...queryPanel,
  type: z.literal("gauge"),
  fieldConfig: fieldConfig(z.never()),
  options: z.strictObject({
    showThresholdLabels: bool.optional(),
    showThresholdMarkers: bool,
    sizing: z.enum(["auto", "manual"]).optional(),
    minVizWidth: int.optional(),
    minVizHeight: int.optional(),
    orientation: z.enum(["auto", "vertical", "horizontal"]).optional(),
    reduceOptions,
  }),
});

const barGaugePanel = z.strictObject({
  ...queryPanel,
  type: z.literal("bargauge"),
  fieldConfig: fieldConfig(z.never()),
  options: z.strictObject({
    displayMode: z.enum(["basic", "lcd", "gradient"]),
    valueMode: z.enum(["color", "text", "hidden"]),
    namePlacement: z.enum(["auto", "top", "left", "hidden"]),
    showUnfilled: bool,
    sizing: z.enum(["auto", "manual"]),
    minVizWidth: int,
    minVizHeight: int,
    maxVizHeight: int,
    legend,
    orientation: z.enum(["auto", "vertical", "horizontal"]),
    reduceOptions,
  }),
});

const tablePanel = z.strictObject({
  ...queryPanel,
  type: z.literal("table"),
  fieldConfig: fieldConfig(z.never()).optional(),
  transformations: z.array(transformation).optional(),
  options: z.strictObject({
    frameIndex: int,
    showHeader: bool,
    showTypeIcons: bool,
    footer: z.strictObject({ show: bool, reducer: z.array(str), countRows: bool }),
    cellHeight: z.enum(["sm", "md", "lg", "auto"]),
  }),
});

const logsPanel = z.strictObject({
  ...queryPanel,
  type: z.literal("logs"),
  options: z.strictObject({
    showTime: bool,
    showLabels: bool,
    showCommonLabels: bool,
    showLogContextToggle: bool,
    wrapLogMessage: bool,
    prettifyLogMessage: bool,
    enableLogDetails: bool,
    dedupStrategy: z.enum(["none", "exact", "numbers", "signature"]),
    sortOrder: z.enum(["Descending", "Ascending"]),
  }),
});

const textPanel = z.strictObject({
  ...panelBase,
  type: z.literal("text"),
  options: z.strictObject({ mode: z.enum(["markdown", "html", "code"]), content: str.min(1) }),
});

/** Expanded rows only: their panels follow them at the top level, so `panels` stays empty. */
const rowPanel = z.strictObject({
  type: z.literal("row"),
  id: int.min(1),
  title: str.min(1),
  collapsed: z.literal(false),
  panels: z.array(z.never()),
  gridPos: z.strictObject({ h: z.literal(1), w: z.literal(24), x: z.literal(0), y: int.min(0) }),
});

export const panelSchema = z.discriminatedUnion("type", [timeseriesPanel, statPanel, gaugePanel, barGaugePanel, tablePanel, logsPanel, textPanel, rowPanel]);
export type Panel = z.infer<typeof panelSchema>;

const variable = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("query"),
    name: str.regex(/^\w+$/),
    label: str.min(1),
    skipUrlSync: bool,
    multi: bool,
    allowCustomValue: bool,
    includeAll: bool,
    allValue: str.optional(),
    current: z.strictObject({ text: z.array(str), value: z.array(str) }).optional(),
    auto: bool,
    auto_min: str,
    auto_count: int,
    datasource: datasourceRef,
    query: str.regex(/^label_values\(.+, \w+\)$/),
    refresh: z.literal(2),
    sort: int,
  }),
  z.strictObject({
    type: z.literal("textbox"),
    name: str.regex(/^\w+$/),
    label: str.min(1),
    description: str.min(1),
    skipUrlSync: bool,
    multi: bool,
    allowCustomValue: bool,
    includeAll: bool,
    auto: bool,
    auto_min: str,
    auto_count: int,
    current: z.strictObject({ text: str, value: str }),
  }),
]);

export const dashboardSchema = z.strictObject({
  uid: str.regex(/^[a-z0-9-]{1,40}$/),
  title: str.min(1),
  description: str.min(1),
  tags: z.array(str).refine((tags) => tags.includes("obs-stack"), "must carry the obs-stack tag"),
  timezone: z.literal("browser"),
  editable: z.literal(false),
  graphTooltip: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  fiscalYearStartMonth: z.literal(0),
  schemaVersion: int.min(39).max(41),
  refresh: z.enum(["30s", "1m", "5m"]),
  time: z.strictObject({ from: str.regex(/^now-\d+[mhd]$/), to: z.literal("now") }),
  templating: z.strictObject({ list: z.array(variable) }),
  annotations: z.strictObject({
    list: z.array(
      z.strictObject({
        name: str,
        datasource: z.strictObject({ type: z.literal("grafana"), uid: z.literal("-- Grafana --") }),
        enable: bool,
        hide: bool,
        iconColor: str,
        builtIn: z.literal(1),
        type: z.literal("dashboard"),
      }),
    ),
  }),
  links: z.array(link),
  panels: z.array(panelSchema).min(1),
});
export type Dashboard = z.infer<typeof dashboardSchema>;
