/**
 * A LogQL string token's value, read the way Loki's lexer reads it (Go's text/scanner, then
 * strconv-style unquoting): `…` is raw, "…" takes Go's escapes. The grammar's token accepts any
 * backslash escape, so the error Loki's lexer raises on an unknown one is raised here.
 */

export type StringLiteral = { value: string } | { error: string };

/** Characters after a backslash that stand for one character, and which one. */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"' };

/** Escapes with a fixed number of digits: `\101` (3 octal), `\x41`, `\u0041`, `\U00000041`. */
const NUMERIC_ESCAPE = /^(?:[0-7]{3}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})/;

/** `token` is a whole String token, quotes included (the grammar only produces terminated ones). */
export function decodeStringLiteral(token: string): StringLiteral {
  const body = token.slice(1, -1);
  if (token.startsWith("`")) return { value: body };
  let value = "";
  for (let i = 0; i < body.length; ) {
    if (body[i] !== "\\") {
      value += body[i++];
      continue;
    }
    const rest = body.slice(i + 1);
    const simple = SIMPLE_ESCAPES[rest[0] ?? ""];
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    const digits = NUMERIC_ESCAPE.exec(rest)?.[0];
    if (!digits) return { error: `invalid char escape \`\\${rest[0] ?? ""}\` (write \\\\ for a backslash, or use a \`…\` raw string)` };
    const codePoint = /^[0-7]/.test(digits) ? Number.parseInt(digits, 8) : Number.parseInt(digits.slice(1), 16);
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return { error: `invalid char escape \`\\${digits}\`` };
    value += String.fromCodePoint(codePoint);
    i += 1 + digits.length;
  }
  return { value };
}
