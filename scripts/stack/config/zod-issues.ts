/** Turns zod issues into path-named ConfigIssues, with "did you mean" for unknown keys. */
import type { z } from "zod";
import type { ConfigIssue } from "../errors.ts";
import { didYouMean } from "./did-you-mean.ts";

type Segment = PropertyKey;

export function formatPath(path: readonly Segment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

export function toConfigIssues(schema: z.ZodType, error: z.ZodError): ConfigIssue[] {
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
    if (issue.code === "invalid_type" && issue.input === undefined) {
      return [{ path: formatPath(issue.path), message: `is required (expected ${issue.expected})` }];
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
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
