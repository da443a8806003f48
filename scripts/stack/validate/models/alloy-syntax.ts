/**
 * Parser for the part of Alloy's config syntax obs-stack renders: blocks (`name.parts "label" { … }`
 * and unlabelled nested blocks), attributes (`name = value`), and values — strings, numbers, bools,
 * null, lists, objects, dotted references such as `loki.write.default.receiver` and function calls.
 * Operators (`+`, `==`, …) are outside the subset and reported as such.
 */
import { SyntaxProblem, TokenCursor, tokenize, type Token } from "./lexer.ts";

export interface Position {
  line: number;
  column: number;
}

export type AlloyValue =
  | { kind: "string"; value: string; at: Position }
  | { kind: "number"; value: number; at: Position }
  | { kind: "bool"; value: boolean; at: Position }
  | { kind: "null"; at: Position }
  | { kind: "list"; items: AlloyValue[]; at: Position }
  | { kind: "object"; fields: Array<{ key: string; value: AlloyValue }>; at: Position }
  | { kind: "reference"; path: string[]; at: Position }
  | { kind: "call"; callee: string; args: AlloyValue[]; at: Position };

export interface AlloyAttribute {
  kind: "attribute";
  name: string;
  value: AlloyValue;
  at: Position;
}

export interface AlloyBlock {
  kind: "block";
  /** Dotted name: `loki.process`, `stage.drop`, `rule`. */
  name: string;
  label: string | undefined;
  body: AlloyStatement[];
  at: Position;
}

export type AlloyStatement = AlloyAttribute | AlloyBlock;

const LEXER = { punctuators: ["{", "}", "[", "]", "(", ")", "=", ",", "."], quotes: ['"', "`"] } as const;

/** The file's statements, or the first syntax problem with its line and column. */
export function parseAlloy(source: string): { statements: AlloyStatement[] } | { problem: SyntaxProblem } {
  try {
    const cursor = new TokenCursor(tokenize(source, LEXER));
    const statements = parseBody(cursor, true);
    return { statements };
  } catch (error) {
    if (error instanceof SyntaxProblem) return { problem: error };
    throw error;
  }
}

const position = (token: Token): Position => ({ line: token.line, column: token.column });

function parseBody(cursor: TokenCursor, topLevel: boolean): AlloyStatement[] {
  const statements: AlloyStatement[] = [];
  for (;;) {
    const token = cursor.peek();
    if (token.kind === "end") {
      if (!topLevel) cursor.fail('expected "}" to close the block');
      return statements;
    }
    if (cursor.isPunctuator("}")) {
      if (topLevel) cursor.fail("unexpected }");
      return statements;
    }
    statements.push(parseStatement(cursor));
  }
}

function parseStatement(cursor: TokenCursor): AlloyStatement {
  const first = cursor.next();
  if (first.kind !== "identifier") cursor.fail("expected a block or attribute name", first);
  const parts = [first.value];
  while (cursor.isPunctuator(".")) {
    cursor.next();
    const part = cursor.next();
    if (part.kind !== "identifier") cursor.fail("expected a name after '.'", part);
    parts.push(part.value);
  }
  if (cursor.isPunctuator("=")) {
    if (parts.length > 1) cursor.fail(`an attribute name cannot contain dots ("${parts.join(".")}")`, first);
    cursor.next();
    return { kind: "attribute", name: first.value, value: parseValue(cursor), at: position(first) };
  }
  let label: string | undefined;
  if (cursor.peek().kind === "string") label = cursor.next().value;
  cursor.expectPunctuator("{");
  const body = parseBody(cursor, false);
  cursor.expectPunctuator("}");
  return { kind: "block", name: parts.join("."), label, body, at: position(first) };
}

function parseValue(cursor: TokenCursor): AlloyValue {
  const token = cursor.next();
  const at = position(token);
  switch (token.kind) {
    case "string":
      return { kind: "string", value: token.value, at };
    case "number":
      return { kind: "number", value: Number(token.value), at };
    case "identifier":
      if (token.value === "true" || token.value === "false") return { kind: "bool", value: token.value === "true", at };
      if (token.value === "null") return { kind: "null", at };
      return parseReferenceOrCall(cursor, token);
    case "punctuator":
      if (token.value === "[") return { kind: "list", items: cursor.sequence("]", () => parseValue(cursor)), at };
      if (token.value === "{") return { kind: "object", fields: cursor.sequence("}", () => parseField(cursor)), at };
      return cursor.fail("expected a value", token);
    case "end":
      return cursor.fail("expected a value", token);
  }
}

function parseReferenceOrCall(cursor: TokenCursor, first: Token): AlloyValue {
  const path = [first.value];
  while (cursor.isPunctuator(".")) {
    cursor.next();
    const part = cursor.next();
    if (part.kind !== "identifier") cursor.fail("expected a name after '.'", part);
    path.push(part.value);
  }
  if (!cursor.isPunctuator("(")) return { kind: "reference", path, at: position(first) };
  cursor.next();
  return { kind: "call", callee: path.join("."), args: cursor.sequence(")", () => parseValue(cursor)), at: position(first) };
}

function parseField(cursor: TokenCursor): { key: string; value: AlloyValue } {
  const key = cursor.next();
  if (key.kind !== "identifier" && key.kind !== "string") cursor.fail("expected an object key", key);
  cursor.expectPunctuator("=");
  return { key: key.value, value: parseValue(cursor) };
}
