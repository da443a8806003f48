/**
 * Panel queries as data: what a panel asks which datasource, and whether a fresh, healthy stack is
 * expected to answer it with data. The same records become the Grafana targets and the query list
 * that tests parse and the e2e suite runs ("no dead panels").
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as loki from "@grafana/grafana-foundation-sdk/loki";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import { DATASOURCE_UIDS } from "../../scripts/stack/catalog/datasources.ts";

export type DatasourceType = keyof typeof DATASOURCE_UIDS;

/** `true`, or why the query is legitimately empty on a fresh healthy stack. */
export type ExpectsData = true | string;

interface QueryOptions {
  /** Series name in legends, with {{label}} placeholders. */
  legend?: string;
  /** One value per series (stat, gauge, table) instead of a range. */
  instant?: boolean;
  expectsData?: ExpectsData;
}

export interface PromQuery {
  datasource: "prometheus";
  expr: string;
  legend: string | undefined;
  instant: boolean;
  /** Ask for exemplars too (latency histograms): they link points to traces. */
  exemplar: boolean;
  /** Table panels want one frame per query with labels as columns. */
  table: boolean;
  expectsData: ExpectsData;
}

export interface LokiQuery {
  datasource: "loki";
  expr: string;
  legend: string | undefined;
  instant: boolean;
  expectsData: ExpectsData;
}

/** Grafana's Jaeger datasource search (the fields of its query editor's "Search" tab). */
export interface JaegerSearch {
  service: string;
  operation?: string;
  /** logfmt-style span tags, e.g. `error=true`. */
  tags?: string;
  limit: number;
}

export interface JaegerQuery {
  datasource: "jaeger";
  search: JaegerSearch;
  expectsData: ExpectsData;
}

export type Query = PromQuery | LokiQuery | JaegerQuery;

export function prom(expr: string, options: QueryOptions & { exemplar?: boolean; table?: boolean } = {}): PromQuery {
  return {
    datasource: "prometheus",
    expr,
    legend: options.legend,
    instant: options.instant ?? false,
    exemplar: options.exemplar ?? false,
    table: options.table ?? false,
    expectsData: options.expectsData ?? true,
  };
}

export function logql(expr: string, options: QueryOptions = {}): LokiQuery {
  return { datasource: "loki", expr, legend: options.legend, instant: options.instant ?? false, expectsData: options.expectsData ?? true };
}

export function jaegerSearch(search: JaegerSearch, expectsData: ExpectsData = true): JaegerQuery {
  return { datasource: "jaeger", search, expectsData };
}

/**
 * errors / total per series, and 0 for series with traffic but no error series at all: error
 * counters usually appear only with the first error, and "no data" must not read as "no errors".
 */
export function errorRatio(errors: string, total: string): string {
  return `${errors} / ${total} or ${total} * 0`;
}

export function datasourceRef(type: DatasourceType): { type: DatasourceType; uid: string } {
  return { type, uid: DATASOURCE_UIDS[type] };
}

/** The Grafana target for a query; refIds are assigned by position in the panel. */
export function toTarget(query: Query, refId: string): cog.Builder<cog.Dataquery> {
  switch (query.datasource) {
    case "prometheus": {
      const target = new prometheus.DataqueryBuilder()
        .refId(refId)
        .datasource(datasourceRef("prometheus"))
        .editorMode(prometheus.QueryEditorMode.Code)
        .expr(query.expr);
      if (query.legend !== undefined) target.legendFormat(query.legend);
      if (query.instant) target.instant();
      else target.range();
      if (query.exemplar) target.exemplar(true);
      if (query.table) target.format(prometheus.PromQueryFormat.Table);
      return target;
    }
    case "loki": {
      const target = new loki.DataqueryBuilder()
        .refId(refId)
        .datasource(datasourceRef("loki"))
        .editorMode(loki.QueryEditorMode.Code)
        .expr(query.expr)
        .queryType(query.instant ? "instant" : "range");
      if (query.legend !== undefined) target.legendFormat(query.legend);
      return target;
    }
    case "jaeger":
      return jaegerTarget(query.search, refId);
  }
}

/** The SDK has no Jaeger package; this is the query model of Grafana's built-in Jaeger datasource. */
function jaegerTarget(search: JaegerSearch, refId: string): cog.Builder<cog.Dataquery> {
  return {
    build: () => ({
      refId,
      datasource: datasourceRef("jaeger"),
      queryType: "search",
      ...search,
      _implementsDataqueryVariant: () => undefined,
    }),
  };
}
