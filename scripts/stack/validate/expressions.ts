/**
 * Every PromQL and LogQL expression in a rendered bundle (rule files' `expr`, Grafana dashboard
 * targets), and the check that each one parses. Collecting is pure; the parsers are passed in
 * (expression-parsers.ts: the pinned promtool for PromQL, the in-process checker for LogQL).
 */
import { parse as parseYaml } from "yaml";
import { StackError } from "../errors.ts";
import { BUNDLE_PATHS, type Bundle } from "../bundle/bundle.ts";
import type { ExpressionParsers, ParseBatch } from "./expression-parsers.ts";
import { declaredVariables, substituteVariables, type TemplateVariable } from "./grafana-variables.ts";

export type QueryLanguage = "promql" | "logql";

export interface BundleExpression {
  language: QueryLanguage;
  /** Bundle-relative file it comes from. */
  file: string;
  /** Which rule or panel target, e.g. `alert "HostDown" in group "host"`, `panel "Errors" target A`. */
  where: string;
  /** As written in the file. */
  expr: string;
  /** What the parser sees: `expr` with Grafana's template variables replaced by sample values. */
  query: string;
}

export interface ExpressionFailure {
  expression: BundleExpression;
  error: string;
}

const RULE_FILE = new RegExp(`^${BUNDLE_PATHS.rulesDir}/[^/]+\\.yml$`);
const DASHBOARD_FILE = new RegExp(`^${BUNDLE_PATHS.grafanaDashboardsDir}/.+\\.json$`);

export function collectExpressions(bundle: Bundle): BundleExpression[] {
  const expressions: BundleExpression[] = [];
  for (const [file, text] of bundle) {
    if (RULE_FILE.test(file)) expressions.push(...ruleExpressions(file, text));
    else if (DASHBOARD_FILE.test(file)) expressions.push(...dashboardExpressions(file, text));
  }
  return expressions;
}

interface RuleFile {
  groups?: Array<{ name?: string; rules?: Array<{ alert?: string; record?: string; expr?: unknown }> }>;
}

function ruleExpressions(file: string, text: string): BundleExpression[] {
  const parsed = (parseYaml(text) ?? {}) as RuleFile;
  return (parsed.groups ?? []).flatMap((group) =>
    (group.rules ?? []).map((rule) => {
      const name = rule.alert !== undefined ? `alert "${rule.alert}"` : `record "${rule.record}"`;
      // Prometheus does no templating in `expr`; YAML may still hand over a number (`expr: 1`).
      const expr = String(rule.expr ?? "");
      return { language: "promql" as const, file, where: `${name} in group "${group.name}"`, expr, query: expr };
    }),
  );
}

interface DatasourceRef {
  type?: string;
}

interface Panel {
  title?: string;
  datasource?: DatasourceRef | string | null;
  targets?: Array<{ refId?: string; datasource?: DatasourceRef | string | null; expr?: unknown }>;
  panels?: Panel[];
}

interface Dashboard {
  panels?: Panel[];
  templating?: { list?: TemplateVariable[] };
}

const LANGUAGE_OF_DATASOURCE: ReadonlyMap<string, QueryLanguage> = new Map([
  ["prometheus", "promql"],
  ["loki", "logql"],
]);

function dashboardExpressions(file: string, text: string): BundleExpression[] {
  const dashboard = JSON.parse(text) as Dashboard;
  const variables = declaredVariables(dashboard.templating?.list ?? []);
  const expressions: BundleExpression[] = [];
  const visit = (panels: Panel[], path: string) => {
    for (const panel of panels) {
      const where = `${path}panel "${panel.title ?? "(untitled)"}"`;
      for (const target of panel.targets ?? []) {
        const type = datasourceType(target.datasource) ?? datasourceType(panel.datasource);
        const targetWhere = `${where} target ${target.refId ?? "?"}`;
        if (type === undefined) {
          if (target.expr === undefined) continue;
          throw new StackError(
            "VALIDATION_FAILED",
            `${file}: ${targetWhere} has an expression but no datasource type`,
            'Give the target (or its panel) a datasource of the form {"type": "prometheus", "uid": "prometheus"}.',
          );
        }
        const language = LANGUAGE_OF_DATASOURCE.get(type);
        // Other datasources (Jaeger, Alertmanager, Grafana's own) take no PromQL/LogQL.
        if (!language) continue;
        const expr = typeof target.expr === "string" ? target.expr : "";
        expressions.push({ language, file, where: targetWhere, expr, query: substituteVariables(expr, variables) });
      }
      visit(panel.panels ?? [], `${where} › `);
    }
  };
  visit(dashboard.panels ?? [], "");
  return expressions;
}

/** A string datasource is a legacy name reference that says nothing about the type. */
function datasourceType(ref: DatasourceRef | string | null | undefined): string | undefined {
  return typeof ref === "object" && ref !== null ? ref.type : undefined;
}

/**
 * Parses each distinct query once per language; returns the expressions that do not parse.
 * Expressions of a language without a parser are not checked: the caller says what is missing.
 */
export async function checkExpressions(expressions: readonly BundleExpression[], parsers: Partial<ExpressionParsers>): Promise<ExpressionFailure[]> {
  const failures: ExpressionFailure[] = [];
  for (const [language, parse] of Object.entries(parsers) as Array<[QueryLanguage, ParseBatch | undefined]>) {
    const ofLanguage = expressions.filter((expression) => expression.language === language);
    if (!parse || ofLanguage.length === 0) continue;
    const queries = [...new Set(ofLanguage.map((expression) => expression.query))];
    const errors = await parse(queries);
    const errorOf = new Map(queries.map((query, index) => [query, errors[index]]));
    for (const expression of ofLanguage) {
      const error = errorOf.get(expression.query);
      if (error !== undefined) failures.push({ expression, error });
    }
  }
  return failures;
}

export function formatFailure({ expression, error }: ExpressionFailure): string {
  const substituted = expression.query === expression.expr ? "" : `\n    parsed as: ${expression.query}`;
  return `${expression.file}: ${expression.where} (${expression.language}): ${error}\n    expr: ${expression.expr}${substituted}`;
}

