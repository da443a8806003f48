/**
 * Turns zod issues into path-named ConfigIssues: "did you mean" for unknown keys and enum values, a
 * wrong type said as what was expected and what was given, and the schema's own messages and hints
 * (IssueParams) kept as written.
 */
import type { z } from "zod";
import type { ConfigIssue } from "../errors.ts";
import { describeInput, quoteForMessage } from "../syntax/message-values.ts";
import type { IssueParams } from "../value-types.ts";
import { didYouMean } from "./did-you-mean.ts";

type Segment = PropertyKey;

/** `services[2].health.ready`; a key with dots, spaces, quotes or anything but printable ASCII is quoted: `labels["a.b"]`. */
export function formatPath(path: readonly Segment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment !== "string" || !/^[^\s."[\]\\]+$/.test(segment) || /[^\x21-\x7e]/.test(segment)) out += `[${quoteForMessage(String(segment))}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

export type IssuesOr<T> = { success: true; data: T } | { success: false; issues: ConfigIssue[] };

/** Parses data with a schema; on failure, the issues as ConfigIssues (with the inputs they name, and the messages below where the schema has none). */
export function parseToIssues<Schema extends z.ZodType>(schema: Schema, data: unknown): IssuesOr<z.output<Schema>> {
  const parsed = schema.safeParse(data, { reportInput: true, error: defaultMessage });
  return parsed.success ? { success: true, data: parsed.data } : { success: false, issues: toConfigIssues(schema, parsed.error) };
}

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

const EXPECTED: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
  null: "null",
};

/** The messages for issues whose schema says nothing itself. */
function defaultMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return issue.input === undefined ? `is required (expected ${expected})` : `expected ${expected}, got ${describeInput(issue.input)}`;
    }
    case "invalid_value":
      return `${issue.values.length === 1 ? "must be" : "must be one of"} ${issue.values.map((value) => JSON.stringify(value)).join(", ")}, got ${describeInput(issue.input)}`;
    case "invalid_union":
      return `expected ${unionExpectations(issue.errors).join(" or ")}, got ${describeInput(issue.input)}`;
    case "too_small":
      return boundMessage("at least", issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case "too_big":
      return boundMessage("at most", issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case "invalid_format":
      return `is not a valid ${issue.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
}

function unionExpectations(branches: ReadonlyArray<readonly z.core.$ZodIssue[]>): string[] {
  const expectations = branches.flatMap((issues) => {
    const first = issues[0];
    if (first?.code === "invalid_type") return [EXPECTED[first.expected] ?? first.expected];
    if (first?.code === "invalid_value") return first.values.map((value) => JSON.stringify(value));
    return first ? [first.message] : [];
  });
  return [...new Set(expectations)];
}

function boundMessage(bound: "at least" | "at most", origin: string, limit: number, inclusive: boolean): string {
  if (origin === "string") return limit === 1 && bound === "at least" ? "must not be empty" : `must be ${bound} ${limit} characters long`;
  if (origin === "array" || origin === "set") return limit === 1 && bound === "at least" ? "needs at least one entry" : `must have ${bound} ${limit} entries`;
  const strict = bound === "at least" ? "greater than" : "less than";
  return `must be ${inclusive ? bound : strict} ${limit}`;
}

function toConfigIssues(schema: z.ZodType, error: z.ZodError): ConfigIssue[] {
  return error.issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const suggestion = didYouMean(key, known);
        return {
          path: formatPath([...issue.path, key]),
          message: "unknown key",
          hint: suggestion
            ? `did you mean "${suggestion}"?`
            : `allowed keys here: ${known.join(", ") || "(none)"}`,
        };
      });
    }
    // A record's key: the key's own issues, at the key's path (which the record issue already names).
    if (issue.code === "invalid_key")
      return issue.issues.map((inner) => withHint({ path: formatPath(issue.path), message: `is not a valid key: ${inner.message}` }, inner));
    return [withHint({ path: formatPath(issue.path), message: issue.message }, issue)];
  });
}

function withHint(configIssue: ConfigIssue, issue: z.core.$ZodIssue): ConfigIssue {
  const hint = (issue.code === "custom" && (issue.params as Partial<IssueParams> | undefined)?.hint) || enumHint(issue);
  return hint ? { ...configIssue, hint } : configIssue;
}

/** "did you mean" for a mistyped enum value. */
function enumHint(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== "invalid_value" || typeof issue.input !== "string") return undefined;
  const suggestion = didYouMean(issue.input, issue.values.filter((value): value is string => typeof value === "string"));
  return suggestion && `did you mean "${suggestion}"?`;
}

interface SchemaInternals {
  _zod: { def: Record<string, unknown> & { type: string } };
}

/** Walks the schema along a data path to list the keys an object accepts there. */
function knownKeysAt(schema: z.ZodType, path: readonly Segment[]): string[] {
  let node: SchemaInternals | undefined = schema as unknown as SchemaInternals;
  for (const segment of path) {
    node = unwrap(node);
    if (!node) return [];
    const def = node._zod.def;
    if (def.type === "object") node = (def.shape as Record<string, SchemaInternals>)[String(segment)];
    else if (def.type === "array") node = def.element as SchemaInternals;
    else if (def.type === "record") node = def.valueType as SchemaInternals;
    else return [];
  }
  node = unwrap(node);
  return node?._zod.def.type === "object" ? Object.keys(node._zod.def.shape as object) : [];
}

function unwrap(node: SchemaInternals | undefined): SchemaInternals | undefined {
  let current = node;
  while (current) {
    const def = current._zod.def;
    if (def.innerType) current = def.innerType as SchemaInternals;
    else if (def.type === "pipe") current = def.in as SchemaInternals;
    else return current;
  }
  return current;
}
