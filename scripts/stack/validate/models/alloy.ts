/**
 * Typed model of the config.alloy obs-stack renders, at the pinned Alloy (v1.15): it parses the file
 * (models/alloy-syntax.ts) and checks what `alloy validate` would — component names, unique labels,
 * arguments and blocks against each component's reference, value types, references to declared
 * components and their exports — plus the stage rules Alloy applies when it builds loki.process.
 */
import { IMAGE_PINS } from "../../catalog/components.ts";
import { didYouMean } from "../../config/did-you-mean.ts";
import {
  ALLOY_COMPONENT_NAMES,
  ALLOY_CONFIG_BLOCKS,
  MODELLED_COMPONENTS,
  isUncheckedStage,
  type AlloyExportType,
  type AlloyType,
  type BlockSpec,
  type ComponentSpec,
} from "./alloy-components.ts";
import { parseAlloy, type AlloyBlock, type AlloyStatement, type AlloyValue, type Position } from "./alloy-syntax.ts";
import { isGoDuration } from "./durations.ts";
import type { ModelFinding } from "./findings.ts";
import { dropStageProblems, labelNameProblems, matchStageProblems, regexProblems, templateProblems } from "./log-stages.ts";
import { relabelRuleProblems, type RelabelRule } from "./relabel-rules.ts";

export const ALLOY_MODEL_VERSION = IMAGE_PINS.alloy.tag;

/** A component instance: `loki.write "default"` is referenced as `loki.write.default`. */
interface Declared {
  name: string;
  label: string;
  spec: ComponentSpec;
}

export function checkAlloyConfig(text: string): ModelFinding[] {
  const parsed = parseAlloy(text);
  if ("problem" in parsed) return [{ path: `line ${parsed.problem.line}:${parsed.problem.column}`, message: parsed.problem.message.replace(/^\d+:\d+: /, "") }];
  return new AlloyChecker().check(parsed.statements);
}

const where = (at: Position) => `line ${at.line}`;

class AlloyChecker {
  private readonly findings: ModelFinding[] = [];
  private readonly declared = new Map<string, Declared>();

  check(statements: AlloyStatement[]): ModelFinding[] {
    const components: Array<{ block: AlloyBlock; spec: ComponentSpec }> = [];
    for (const statement of statements) {
      const component = this.declare(statement);
      if (component) components.push(component);
    }
    // References may point forward, so bodies are checked once every component is declared.
    for (const { block, spec } of components) this.checkBody(`${block.name} "${block.label}"`, block, spec);
    return this.findings;
  }

  private report(path: string, at: Position, message: string, hint?: string): void {
    this.findings.push(hint === undefined ? { path: `${path} (${where(at)})`, message } : { path: `${path} (${where(at)})`, message, hint });
  }

  private declare(statement: AlloyStatement): { block: AlloyBlock; spec: ComponentSpec } | undefined {
    if (statement.kind === "attribute") return this.report(statement.name, statement.at, "attributes are not allowed at the top level; only blocks"), undefined;
    const { name, label, at } = statement;
    if (ALLOY_CONFIG_BLOCKS.includes(name)) return this.report(name, at, `config block ${name} is valid Alloy but outside what this model checks`), undefined;
    if (!ALLOY_COMPONENT_NAMES.includes(name)) {
      const suggestion = didYouMean(name, ALLOY_COMPONENT_NAMES);
      return this.report(name, at, `unknown component "${name}" (not in Alloy ${ALLOY_MODEL_VERSION})`, suggestion ? `did you mean "${suggestion}"?` : undefined), undefined;
    }
    const spec = MODELLED_COMPONENTS[name];
    if (!spec) return this.report(name, at, `${name} is an Alloy component, but outside what this model checks`, "add it to scripts/stack/validate/models/alloy-components.ts"), undefined;
    if (label === undefined) return this.report(name, at, "a component needs a label: name \"label\" { … }"), undefined;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(label)) return this.report(`${name} "${label}"`, at, "a label must be an identifier (letters, digits, underscores)"), undefined;
    const key = `${name}.${label}`;
    if (this.declared.has(key)) return this.report(`${name} "${label}"`, at, `${name} "${label}" is declared twice; labels must be unique per component`), undefined;
    this.declared.set(key, { name, label, spec });
    return { block: statement, spec };
  }

  private checkBody(path: string, block: AlloyBlock, spec: BlockSpec): void {
    const seenAttributes = new Set<string>();
    const blockCounts = new Map<string, number>();
    for (const statement of block.body) {
      if (statement.kind === "attribute") {
        const argument = spec.arguments[statement.name];
        const attributePath = `${path}.${statement.name}`;
        if (!argument) {
          const suggestion = didYouMean(statement.name, Object.keys(spec.arguments));
          this.report(attributePath, statement.at, "unrecognized attribute", suggestion ? `did you mean "${suggestion}"?` : `arguments: ${Object.keys(spec.arguments).join(", ") || "(none)"}`);
          continue;
        }
        if (seenAttributes.has(statement.name)) this.report(attributePath, statement.at, "attribute set twice");
        seenAttributes.add(statement.name);
        this.checkValue(attributePath, statement.value, argument.type);
        continue;
      }
      const nested = spec.blocks?.[statement.name];
      const nestedPath = `${path} > ${statement.name}`;
      if (!nested) {
        const known = Object.keys(spec.blocks ?? {});
        const suggestion = didYouMean(statement.name, known);
        this.report(nestedPath, statement.at, `unknown block "${statement.name}"`, suggestion ? `did you mean "${suggestion}"?` : `blocks: ${known.join(", ") || "(none)"}`);
        continue;
      }
      if (statement.label !== undefined) this.report(nestedPath, statement.at, "a nested block takes no label");
      blockCounts.set(statement.name, (blockCounts.get(statement.name) ?? 0) + 1);
      if (!nested.repeatable && blockCounts.get(statement.name) === 2) this.report(nestedPath, statement.at, "block may appear only once");
      if (!isUncheckedStage(nested)) {
        this.checkBody(nestedPath, statement, nested);
        this.checkBlockRules(nestedPath, statement);
      }
    }
    for (const [name, argument] of Object.entries(spec.arguments))
      if (argument.required && !seenAttributes.has(name)) this.report(`${path}.${name}`, block.at, "missing required attribute");
    for (const [name, nested] of Object.entries(spec.blocks ?? {}))
      if (nested.required && !blockCounts.has(name)) this.report(`${path} > ${name}`, block.at, "missing required block");
  }

  private checkValue(path: string, value: AlloyValue, type: AlloyType): void {
    // A function call's result is known only at run time.
    if (type === "any" || value.kind === "call") return;
    const mismatch = (expected: string) => this.report(path, value.at, `expected ${expected}, found ${describe(value)}`);
    switch (type) {
      case "string":
        if (value.kind !== "string") mismatch("a string");
        return;
      case "number":
        if (value.kind !== "number") mismatch("a number");
        return;
      case "bool":
        if (value.kind !== "bool") mismatch("true or false");
        return;
      case "duration":
        if (value.kind !== "string") mismatch('a duration string such as "5s"');
        else if (!isGoDuration(value.value)) this.report(path, value.at, `"${value.value}" is not a duration (Go syntax: ns, us, ms, s, m, h)`);
        return;
      case "list(string)":
        if (value.kind !== "list") mismatch("a list of strings");
        else for (const item of value.items) if (item.kind !== "string" && item.kind !== "call") this.report(path, item.at, `expected a string in the list, found ${describe(item)}`);
        return;
      case "map(string)":
        if (value.kind !== "object") mismatch('an object such as { "key" = "value" }');
        else for (const field of value.fields) if (field.value.kind !== "string" && field.value.kind !== "call") this.report(`${path}.${field.key}`, field.value.at, `expected a string, found ${describe(field.value)}`);
        return;
      case "targets":
        if (value.kind === "reference") this.checkReference(path, value, "targets");
        else if (value.kind !== "list") mismatch("a list of targets or a reference to a component's targets");
        return;
      case "receivers":
        if (value.kind !== "list") return mismatch("a list of receivers, e.g. [loki.write.default.receiver]");
        if (value.items.length === 0) this.report(path, value.at, "needs at least one receiver");
        for (const item of value.items) {
          if (item.kind === "reference") this.checkReference(path, item, "LogsReceiver");
          else this.report(path, item.at, `expected a receiver reference, found ${describe(item)}`);
        }
        return;
    }
  }

  /** `loki.write.default.receiver`: a declared component, and an export of the expected type. */
  private checkReference(path: string, reference: Extract<AlloyValue, { kind: "reference" }>, expected: AlloyExportType): void {
    const dotted = reference.path.join(".");
    const nameLength = [...Array(reference.path.length).keys()].reverse().find((length) => ALLOY_COMPONENT_NAMES.includes(reference.path.slice(0, length).join(".")));
    if (nameLength === undefined || nameLength === 0) return this.report(path, reference.at, `${dotted} does not reference a component`);
    const name = reference.path.slice(0, nameLength).join(".");
    const label = reference.path[nameLength];
    const field = reference.path.slice(nameLength + 1).join(".");
    const declared = label === undefined ? undefined : this.declared.get(`${name}.${label}`);
    if (!declared) {
      const labels = [...this.declared.values()].filter((item) => item.name === name).map((item) => item.label);
      const suggestion = label === undefined ? undefined : didYouMean(label, labels);
      return this.report(path, reference.at, `${dotted} references ${name} "${label ?? ""}", which is not declared`, suggestion ? `did you mean ${name}.${suggestion}?` : labels.length ? `declared: ${labels.map((item) => `${name}.${item}`).join(", ")}` : undefined);
    }
    const exportType = declared.spec.exports[field];
    if (!exportType) return this.report(path, reference.at, `${name} has no export "${field}"`, `exports: ${Object.keys(declared.spec.exports).join(", ") || "(none)"}`);
    if (exportType !== expected) this.report(path, reference.at, `${dotted} is ${exportType}, but this attribute takes ${expected}`);
  }

  /** What Alloy checks when it builds a block beyond its arguments' types: relabel rules and stage settings. */
  private checkBlockRules(path: string, block: AlloyBlock): void {
    const values = plainArguments(block);
    const problems = ((): ModelFinding[] => {
      switch (block.name) {
        case "rule":
          return relabelRuleProblems(values as RelabelRule);
        case "stage.drop":
          return dropStageProblems(values as Parameters<typeof dropStageProblems>[0]);
        case "stage.match":
          return matchStageProblems({ selector: String(values.selector ?? ""), action: values.action as string | undefined }, block.body.filter((item) => item.kind === "block").length);
        case "stage.replace":
          return regexProblems("expression", values.expression as string | undefined);
        case "stage.structured_metadata":
          return [...regexProblems("regex", values.regex as string | undefined), ...labelNameProblems(Object.keys((values.values as object | undefined) ?? {}), ["values"])];
        case "stage.labels":
          return labelNameProblems(Object.keys((values.values as object | undefined) ?? {}), ["values"]);
        case "stage.template":
          return typeof values.template === "string" ? templateProblems("template", values.template) : [];
        default:
          return [];
      }
    })();
    for (const problem of problems) this.report(problem.path ? `${path}.${problem.path}` : path, block.at, problem.message, problem.hint);
  }
}

function describe(value: AlloyValue): string {
  return value.kind === "reference" ? `reference ${value.path.join(".")}` : value.kind;
}

/** The block's literal arguments as plain data, for the rules shared with Promtail. */
function plainArguments(block: AlloyBlock): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const statement of block.body) if (statement.kind === "attribute") values[statement.name] = plain(statement.value);
  return values;
}

function plain(value: AlloyValue): unknown {
  switch (value.kind) {
    case "string":
    case "number":
    case "bool":
      return value.value;
    case "list":
      return value.items.map(plain);
    case "object":
      return Object.fromEntries(value.fields.map((field) => [field.key, plain(field.value)]));
    default:
      return undefined;
  }
}
