/** Template variables: label values from Prometheus or Loki, and free-text filters. */
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { datasourceRef, type ExpectsData, logql, prom, type LokiQuery, type PromQuery } from "./queries.ts";

export interface LabelValuesVariable {
  kind: "label-values";
  name: string;
  label: string;
  /** The label whose values are offered. */
  labelName: string;
  /** The series (or log streams) whose label values are listed, as a query of its own. */
  source: PromQuery | LokiQuery;
  /** Several values at once, with an "All" entry matching this regex; single-select when absent. */
  allValue?: string;
}

export interface TextVariable {
  kind: "text";
  name: string;
  label: string;
  description: string;
}

export type Variable = LabelValuesVariable | TextVariable;

interface LabelValuesOptions {
  label: string;
  labelName?: string;
  allValue?: string;
  expectsData?: ExpectsData;
}

/** `label_values(selector, label)` over Prometheus series. */
export function promLabelValues(name: string, selector: string, options: LabelValuesOptions): LabelValuesVariable {
  return labelValues(name, prom(selector, { expectsData: options.expectsData }), options);
}

/** `label_values(selector, label)` over Loki streams. */
export function lokiLabelValues(name: string, selector: string, options: LabelValuesOptions): LabelValuesVariable {
  return labelValues(name, logql(selector, { expectsData: options.expectsData }), options);
}

function labelValues(name: string, source: PromQuery | LokiQuery, options: LabelValuesOptions): LabelValuesVariable {
  const variable: LabelValuesVariable = { kind: "label-values", name, label: options.label, labelName: options.labelName ?? name, source };
  if (options.allValue !== undefined) variable.allValue = options.allValue;
  return variable;
}

export function textVariable(name: string, label: string, description: string): TextVariable {
  return { kind: "text", name, label, description };
}

export function toVariableModel(variable: Variable): dashboard.QueryVariableBuilder | dashboard.TextBoxVariableBuilder {
  if (variable.kind === "text")
    return new dashboard.TextBoxVariableBuilder(variable.name).label(variable.label).description(variable.description).current({ text: "", value: "" });
  const query = `label_values(${variable.source.expr}, ${variable.labelName})`;
  const builder = new dashboard.QueryVariableBuilder(variable.name)
    .label(variable.label)
    .datasource(datasourceRef(variable.source.datasource))
    .query(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
  if (variable.allValue === undefined) return builder.multi(false).includeAll(false);
  return builder
    .multi(true)
    .includeAll(true)
    .allValue(variable.allValue)
    .current({ text: ["All"], value: ["$__all"] });
}
