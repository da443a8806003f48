/**
 * The characters a config string can carry into the generated files. Everything the stack writes is
 * read by a YAML 1.1 parser (Go's, in Prometheus, Alertmanager, Loki, blackbox…), Alloy, Go templates
 * or Compose. YAML forbids most control characters outright, Go's parsers read NEL, LS and PS as line
 * breaks, a lone surrogate is no Unicode at all, and the serializers (JSON's and the `yaml`
 * library's, both leave these raw) cannot escape them into something those parsers read back. So
 * they are refused, never altered; and where a value is written on one line (names, labels,
 * comments), line breaks and tabs are refused too.
 */

/** "line": a name or label written on one line; "block": free text that may span lines (a request body). */
export type TextShape = "line" | "block";

/** The first character of `value` that a value of this shape may not contain, for an error message. */
export interface ForbiddenCharacter {
  /** 0-based index in UTF-16 code units, as JavaScript counts. */
  index: number;
  description: string;
}

export function forbiddenCharacter(value: string, shape: TextShape): ForbiddenCharacter | undefined {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    // Fast path: printable ASCII and the bulk of the BMP.
    if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code < 0x2028)) continue;
    const description = describe(value, index, code, shape);
    if (description) return { index, description };
    if (code >= 0xd800 && code <= 0xdbff) index++; // the low half of a valid pair
  }
  return undefined;
}

function describe(value: string, index: number, code: number, shape: TextShape): string | undefined {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  if (code === 0x0a || code === 0x0d) return shape === "line" ? `a line break (${hex})` : undefined;
  if (code === 0x09) return shape === "line" ? `a tab (${hex})` : undefined;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `a control character (${hex})`;
  if (code === 0x2028 || code === 0x2029) return `a line or paragraph separator (${hex}), which YAML 1.1 parsers read as a line break`;
  if (code === 0xfffe || code === 0xffff) return `the noncharacter ${hex}`;
  if (code >= 0xd800 && code <= 0xdfff && !isPairAt(value, index)) return `a lone surrogate (${hex}), which is not Unicode text`;
  return undefined;
}

function isPairAt(value: string, index: number): boolean {
  const high = value.charCodeAt(index);
  const low = value.charCodeAt(index + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}
