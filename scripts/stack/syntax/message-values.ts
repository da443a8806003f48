/** How config values appear in error messages, which go to a terminal: quoted, escaped and short. */

/**
 * A value quoted for an error message: JSON's escapes plus `\uXXXX` for whatever
 * JSON leaves raw that a terminal could act on or display misleadingly (DEL, C1 controls such as
 * CSI, separators, bidirectional overrides), cut to `max` characters.
 */
export function quoteForMessage(value: string, max = 60): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut).replace(/[\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffe\uffff]/g, (char) =>
    `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A value of any type as a message names it: `the string "9090"`, `the number 3`, `true`, `a list of 2`. */
export function describeInput(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length}`;
  switch (typeof value) {
    case "string":
      return value === "" ? "an empty string" : `the string ${quoteForMessage(value)}`;
    case "number":
      return `the number ${value}`;
    case "boolean":
      return String(value);
    case "bigint":
      return `the bigint ${value}n`;
    case "undefined":
      return "nothing";
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    default:
      return value instanceof Date ? "a date" : "an object";
  }
}
