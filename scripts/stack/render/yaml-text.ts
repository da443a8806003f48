/**
 * The one way values become YAML text. Scalars go through the `yaml` library's own serializer,
 * except the common case that needs no decision from it: printable ASCII that both YAML 1.1 (Go's
 * parsers) and 1.2 read back as the same string when written plain. At 1,000 services the rule
 * files hold a few hundred thousand scalars, and asking the library about each one (or serializing
 * the documents through its node tree) took most of `generate`'s time.
 * The schema refuses the characters no serializer can carry (see syntax/text.ts); meeting one here
 * is a bug, so it throws rather than write a broken or altered file.
 */
import { stringify } from "yaml";
import { quoteForMessage } from "../syntax/message-values.ts";
import { forbiddenCharacter, type TextShape } from "../syntax/text.ts";

export type Scalar = string | number | boolean | null;

/** Throws when the schema let through what no file can hold: a bug, not a user error. */
export function representable<T extends Scalar>(value: T, shape: TextShape): T {
  const found = typeof value === "string" ? forbiddenCharacter(value, shape) : undefined;
  if (found) throw new Error(`${quoteForMessage(value as string)} contains ${found.description}: the config schema must refuse it before rendering`);
  return value;
}

/** What the library ends a document with; not trimEnd(), which would also take a value's trailing U+00A0. */
const FINAL_NEWLINE = /\n$/;

/** One line, whatever the value holds: no folding, and line breaks as `\n` escapes. */
const ONE_LINE = { lineWidth: 0, doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY } as const;

/** Words YAML 1.1 or 1.2 resolves to a boolean or null when plain. */
const RESERVED_WORDS = new Set(
  ["y", "n", "yes", "no", "on", "off", "true", "false", "null"].flatMap((word) => [word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1)]),
);
const PRINTABLE_ASCII = /^[ -~]*$/;
/** The library's YAML 1.1 reads `e5` as a float with no digits (Go does not): quoted, both agree. */
const BARE_EXPONENT = /^[eE][-+]?[0-9]+$/;
/** A YAML 1.1 timestamp may hold spaces; it starts with a four-digit year. */
const YEAR_FIRST = /^[0-9]{4}-/;

const isLetter = (code: number) => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
/** `_`, `(` and `/` start no other kind of node. */
const isPlainPunctuationStart = (code: number) => code === 0x5f || code === 0x28 || code === 0x2f;
/** Inside a flow collection (`[a, b]`) the flow indicators `,[]{}` end a plain scalar too. */
const isFlowIndicator = (code: number) => code === 0x2c || code === 0x5b || code === 0x5d || code === 0x7b || code === 0x7d;

/**
 * Printable ASCII that both YAML 1.1 and 1.2 read back as this string when written plain: it
 * starts with a letter, `_`, `(` or `/` (no indicator, number, date or document marker does), or
 * with a digit when a space follows somewhere (no number holds one) and it is not a date; it has
 * no `: ` or ` #` inside and ends in neither; it is no boolean or null word. One pass, no
 * allocation: the rule files hold hundreds of thousands of these.
 */
function plainWithoutAsking(value: string, context: "block" | "flow"): boolean {
  const first = value.charCodeAt(0);
  const digitFirst = isDigit(first);
  if (!isLetter(first) && !isPlainPunctuationStart(first) && !digitFirst) return false;
  let hasSpace = false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) return false;
    const next = value.charCodeAt(index + 1);
    if (code === 0x20) {
      if (next === 0x23 || Number.isNaN(next)) return false;
      hasSpace = true;
    } else if (code === 0x3a && (next === 0x20 || Number.isNaN(next))) return false;
    else if (context === "flow" && isFlowIndicator(code)) return false;
  }
  if (digitFirst) return hasSpace && !YEAR_FIRST.test(value);
  return !RESERVED_WORDS.has(value) && !BARE_EXPONENT.test(value);
}

/**
 * What the library refuses to write plain (it quotes it then): an indicator first, `: ` or ` #`
 * inside, a space or `:` last. Its own test, for one-line values.
 */
const LIBRARY_QUOTES = /^[\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][\t ]|:[\t ]|[\t ]#|[\t :]$/;

/** For printable ASCII, JSON's escapes (`\"` and `\\`) are exactly YAML's double-quoted ones. */
const doubleQuoted = (value: string) => JSON.stringify(value);

/** Quoted as the library quotes: single quotes when that avoids escaping a `"`, else double. */
const quotedAsTheLibraryDoes = (value: string) => (value.includes('"') && !value.includes("'") ? `'${value}'` : doubleQuoted(value));

/**
 * A literal block (`|-`) for printable ASCII lines, as the library writes one when no line needs
 * an indentation indicator or keeps trailing space and no line break ends the value.
 */
function literalWithoutAsking(value: string, indent: string): string | undefined {
  const lines = value.split("\n");
  if (lines.some((line) => line === "" || !PRINTABLE_ASCII.test(line) || /^\s|\s$/.test(line))) return undefined;
  return ["|-", ...lines.map((line) => `${indent}  ${line}`)].join("\n");
}

/** A double-quoted YAML scalar on one line. */
export function yamlQuoted(value: Scalar): string {
  if (typeof value === "string" && PRINTABLE_ASCII.test(value)) return doubleQuoted(value);
  return stringify(representable(value, "block"), { ...ONE_LINE, defaultStringType: "QUOTE_DOUBLE" }).replace(FINAL_NEWLINE, "");
}

/**
 * A YAML scalar, plain where YAML 1.1 (Go's parsers) and 1.2 both read it back as the same string
 * and it is safe inside a flow sequence too (`[a, b]`), double-quoted otherwise.
 */
export function yamlScalar(value: Scalar): string {
  if (typeof value === "string" && plainWithoutAsking(value, "flow")) return value;
  representable(value, "line");
  const plain = stringify(value, { ...ONE_LINE, version: "1.1" }).replace(FINAL_NEWLINE, "");
  const safe = plain === stringify(value, ONE_LINE).replace(FINAL_NEWLINE, "") && !plain.includes("\n") && !/^["']|[,[\]{}]/.test(plain);
  return safe ? plain : yamlQuoted(value);
}

/**
 * A scalar in block context: plain when that is unambiguous without asking; a multi-line string as
 * a literal block (its lines indented under the key or dash at `indent`) when its lines allow one,
 * else double-quoted with `\n` escapes.
 */
function blockScalar(value: Scalar, indent = ""): string {
  if (typeof value === "string" && value.includes("\n")) return literalWithoutAsking(value, indent) ?? yamlQuoted(value);
  if (typeof value === "string" && plainWithoutAsking(value, "block")) return value;
  if (typeof value === "string" && PRINTABLE_ASCII.test(value) && LIBRARY_QUOTES.test(value)) return quotedAsTheLibraryDoes(value);
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  return askedBefore.get(value) ?? remember(value, askTheLibrary(value));
}

/** The values that reach the library are few and repeat thousands of times (durations, mostly). */
const askedBefore = new Map<Scalar, string>();
function remember(value: Scalar, text: string): string {
  if (askedBefore.size >= 10_000) askedBefore.clear();
  askedBefore.set(value, text);
  return text;
}

/**
 * The library's own choice (plain, single- or double-quoted), asked inside a sequence as a value
 * is placed here (at the top level it writes `---`-like text as a block), unless Go's YAML 1.1
 * would read its plain text differently.
 */
function askTheLibrary(value: Scalar): string {
  const asItem = (version: "1.1" | "1.2") => stringify([representable(value, "block")], { ...ONE_LINE, version }).replace(FINAL_NEWLINE, "").slice(2);
  const chosen = asItem("1.2");
  if (chosen.includes("\n")) return yamlQuoted(value);
  if (/^["']/.test(chosen) || chosen === asItem("1.1")) return chosen;
  return yamlQuoted(value);
}

type Data = Scalar | undefined | readonly Data[] | { readonly [key: string]: Data };
type Collection = readonly Data[] | { readonly [key: string]: Data };

const isCollection = (value: Data): value is Collection => typeof value === "object" && value !== null;
const isEmpty = (value: Collection) => (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);

/**
 * Block-style YAML of plain data, laid out as the `yaml` library does with `lineWidth: 0`
 * (sequences indented under their key). Keys whose value is undefined are left out, as JSON does.
 */
export function blockYaml(data: object): string {
  const lines: string[] = [];
  writeCollection(data as Collection, "", lines);
  return `${lines.join("\n")}\n`;
}

function writeCollection(value: Collection, indent: string, lines: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value as readonly Data[]) writeItem(item, indent, lines);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    // Plain `<<` as a key is a merge in YAML 1.1 (and in Go's parsers): quoted, it is a name.
    const head = `${indent}${key === "<<" ? yamlQuoted(key) : blockScalar(key)}:`;
    if (!isCollection(item)) lines.push(`${head} ${blockScalar(item, indent)}`);
    else if (isEmpty(item)) lines.push(`${head} ${Array.isArray(item) ? "[]" : "{}"}`);
    else {
      lines.push(head);
      writeCollection(item, `${indent}  `, lines);
    }
  }
}

function writeItem(item: Data, indent: string, lines: string[]): void {
  if (item === undefined) throw new Error("a YAML sequence cannot hold undefined: a renderer bug");
  if (!isCollection(item)) lines.push(`${indent}- ${blockScalar(item, indent)}`);
  else if (isEmpty(item)) lines.push(`${indent}- ${Array.isArray(item) ? "[]" : "{}"}`);
  else {
    // The collection's first line shares the dash's line; the rest align under it.
    const first = lines.length;
    writeCollection(item, `${indent}  `, lines);
    lines[first] = `${indent}- ${lines[first]!.slice(indent.length + 2)}`;
  }
}
