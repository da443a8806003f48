/**
 * A dashboard under construction: the SDK's DashboardBuilder with the obs-stack conventions (tag,
 * read-only, shared crosshair, link row to the other obs-stack dashboards), panel ids and query
 * refIds assigned in order, and a record of every query for tests and the e2e suite.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { datasourceRef, type LokiQuery, type PromQuery, type Query, toTarget } from "./queries.ts";
import { toVariableModel, type Variable } from "./variables.ts";

const OBS_STACK_TAG = "obs-stack";

/** Where a query comes from: a panel target, or the values query of a template variable. */
export type DashboardQuery =
  | { kind: "panel"; dashboard: string; panel: string; refId: string; query: Query }
  | { kind: "variable"; dashboard: string; variable: string; label: string; allValue: string | undefined; query: PromQuery | LokiQuery };

export interface BuiltDashboard {
  uid: string;
  json: dashboard.Dashboard;
  queries: DashboardQuery[];
}

/** What every SDK panel builder offers; the draft needs nothing else from it. */
interface PanelBuilder extends cog.Builder<dashboard.Panel> {
  id(id: number): this;
  span(w: number): this;
  height(h: number): this;
  datasource(datasource: dashboard.DataSourceRef): this;
  withTarget(target: cog.Builder<cog.Dataquery>): this;
}

export interface DashboardOptions {
  title: string;
  description: string;
  refresh: "30s" | "1m" | "5m";
  /** Start of the default time range, e.g. "now-1h". */
  from: string;
  variables?: Variable[];
}

export class DashboardDraft {
  private readonly builder: dashboard.DashboardBuilder;
  private readonly queries: DashboardQuery[] = [];
  private nextId = 1;

  constructor(
    readonly uid: string,
    options: DashboardOptions,
  ) {
    const variables = options.variables ?? [];
    this.builder = new dashboard.DashboardBuilder(options.title)
      .uid(uid)
      .description(options.description)
      .tags([OBS_STACK_TAG])
      .readonly()
      .timezone("browser")
      .tooltip(dashboard.DashboardCursorSync.Crosshair)
      .refresh(options.refresh)
      .time({ from: options.from, to: "now" })
      .annotation(
        new dashboard.AnnotationQueryBuilder()
          .builtIn(1)
          .name("Annotations & Alerts")
          .datasource({ type: "grafana", uid: "-- Grafana --" })
          .type("dashboard")
          .enable(true)
          .hide(true)
          .iconColor("rgba(0, 211, 255, 1)"),
      )
      // One link for the whole family: Grafana lists every dashboard with the tag, so the row
      // never points at a dashboard this stack does not ship.
      .link(
        new dashboard.DashboardLinkBuilder("obs-stack")
          .type(dashboard.DashboardLinkType.Dashboards)
          .tags([OBS_STACK_TAG])
          .asDropdown(false)
          .keepTime(true)
          .includeVars(false)
          .targetBlank(false),
      )
      .variables(variables.map(toVariableModel));
    for (const variable of variables)
      if (variable.kind === "label-values")
        this.queries.push({
          kind: "variable",
          dashboard: uid,
          variable: variable.name,
          label: variable.labelName,
          allValue: variable.allValue,
          query: variable.source,
        });
  }

  row(title: string): this {
    this.builder.withRow(new dashboard.RowBuilder(title).id(this.nextId++));
    return this;
  }

  /** Adds a panel `w` columns wide (of 24) and `h` rows high, after the previous one. */
  panel(panel: PanelBuilder, queries: readonly Query[], size: { w: number; h: number }): this {
    const title = panel.build().title ?? "";
    const datasources = [...new Set(queries.map((query) => query.datasource))];
    if (datasources.length > 1) throw new Error(`${this.uid}/${title}: one datasource per panel, got ${datasources.join(", ")}`);
    panel.id(this.nextId++).span(size.w).height(size.h);
    if (datasources[0]) panel.datasource(datasourceRef(datasources[0]));
    queries.forEach((query, index) => {
      const refId = String.fromCharCode(65 + index);
      panel.withTarget(toTarget(query, refId));
      this.queries.push({ kind: "panel", dashboard: this.uid, panel: title, refId, query });
    });
    this.builder.withPanel(panel);
    return this;
  }

  build(): BuiltDashboard {
    return { uid: this.uid, json: this.builder.build(), queries: this.queries };
  }
}
