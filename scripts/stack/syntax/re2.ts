/**
 * RE2 syntax without Go. Every component a config regex reaches compiles it with Go's regexp/syntax:
 * Prometheus and Alertmanager (matchers, relabelling), Loki (LogQL), Promtail, Alloy, the Collector
 * (OTTL) and blackbox. Go rejects much that JavaScript and PCRE accept: lookaround, backreferences,
 * possessive or stacked repeats, unknown escapes, flags and classes; and it accepts some that
 * JavaScript does not, such as `(?i)` or `(?P<name>…)`. This recursive-descent reader of Go's
 * Perl-flavoured syntax rejects the same, worded like Go's errors, and reports the two facts the
 * rules need: whether the regex matches the empty string, and which groups it captures.
 *
 * Knowingly approximate: Unicode class and script names are checked against the JavaScript
 * engine's Unicode tables, and of Go's limits only the nesting depth is enforced, not the size.
 */

export interface Re2Summary {
  /** Whether the regex, anchored at both ends as Loki anchors label matchers, accepts "". */
  matchesEmpty: boolean;
  /** Capturing groups in order: the name, or "" for an unnamed group. */
  captures: string[];
}

export interface Re2Error {
  error: string;
}

export function parseRe2(pattern: string): Re2Summary | Re2Error {
  const reader = new Re2Reader(pattern);
  const error = reader.tryReadAll();
  return error ?? { matchesEmpty: reader.matchesEmpty, captures: reader.captures };
}

/** Why Go would refuse the pattern, or undefined when it compiles. */
export function re2SyntaxError(pattern: string): string | undefined {
  const parsed = parseRe2(pattern);
  return "error" in parsed ? parsed.error : undefined;
}

/**
 * The same regex as a JavaScript RegExp, for sampling and previews in JavaScript: RE2's leading
 * inline flags become flags and named groups lose their `P`. Undefined when Go refuses the pattern
 * or when it uses syntax JavaScript reads differently (`\Q…\E`, POSIX and Unicode classes,
 * `\x{…}`, octal escapes, `\A`, `\z`, `\a`, flags after the start), rather than a
 * RegExp that would quietly match something else. `anchored` matches whole strings only, as
 * Prometheus and Alertmanager anchor their matchers.
 */
export function re2AsJsRegExp(pattern: string, options: { flags?: string; anchored?: boolean } = {}): RegExp | undefined {
  const reader = new Re2Reader(pattern);
  if (reader.tryReadAll() || reader.jsDivergent) return undefined;
  // Go's anchors stay outside a leading (?m); JavaScript's `m` flag would turn them into line anchors.
  if (options.anchored && reader.jsFlags.includes("m")) return undefined;
  let source = "";
  let cursor = 0;
  for (const edit of reader.jsEdits) {
    source += pattern.slice(cursor, edit.at) + edit.text;
    cursor = edit.at + edit.length;
  }
  source += pattern.slice(cursor);
  try {
    return new RegExp(options.anchored ? `^(?:${source})$` : source, (options.flags ?? "") + reader.jsFlags);
  } catch {
    return undefined;
  }
}

class Re2SyntaxError extends Error {}

/** Go's `error parsing regexp: <code>: \`<expr>\``, plus why RE2 says no where that is not obvious. */
function syntaxError(code: string, expr: string, why?: string): Re2SyntaxError {
  return new Re2SyntaxError(`error parsing regexp: ${code}: \`${expr}\`${why ? ` (${why})` : ""}`);
}

const MAX_REPEAT = 1000;
/** Go's maxHeight, counted here as nested groups: deeper patterns fail to compile in Go (and would exhaust this reader's stack). */
const MAX_NESTING = 1000;
const FLAGS = new Set(["i", "m", "s", "U"]);
const PERL_CLASSES = new Set(["d", "D", "s", "S", "w", "W"]);
const POSIX_CLASSES = new Set(["alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit"]);
const SINGLE_CHAR_ESCAPES = new Set(["a", "f", "n", "r", "t", "v"]);

/** What the constructs PCRE users reach for are, for the error message. */
const UNSUPPORTED_GROUPS: ReadonlyArray<[prefix: string, why: string]> = [
  ["(?=", "RE2 has no lookahead"],
  ["(?!", "RE2 has no lookahead"],
  ["(?<=", "RE2 has no lookbehind"],
  ["(?<!", "RE2 has no lookbehind"],
  ["(?>", "RE2 has no atomic groups"],
  ["(?P=", "RE2 has no backreferences"],
  ["(?P>", "RE2 has no recursion"],
  ["(?#", "RE2 has no inline comments"],
  ["(?|", "RE2 has no branch reset groups"],
  ["(?(", "RE2 has no conditionals"],
];

interface Repeat {
  min: number;
  /** Where the operator starts and ends (after a lazy `?`), for Go's error text. */
  start: number;
  end: number;
}

/** A change that turns the RE2 source into JavaScript's: `length` characters at `at` become `text`. */
interface JsEdit {
  at: number;
  length: number;
  text: string;
}

class Re2Reader {
  readonly captures: string[] = [];
  matchesEmpty = false;
  /** What re2AsJsRegExp needs: the edits, the flags taken from a leading `(?flags)`, and whether JavaScript would read the pattern differently. */
  readonly jsEdits: JsEdit[] = [];
  jsFlags = "";
  jsDivergent = false;
  private pos = 0;
  private depth = 0;

  constructor(private readonly src: string) {}

  /** Reads the whole pattern; returns Go's error, or undefined when it compiles. */
  tryReadAll(): Re2Error | undefined {
    try {
      this.matchesEmpty = this.readAlternation();
      // readAlternation stops only at the end or at a `)` no group opened.
      if (this.pos < this.src.length) throw syntaxError("unexpected )", this.src);
      return undefined;
    } catch (error) {
      if (error instanceof Re2SyntaxError) return { error: error.message };
      throw error;
    }
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private readAlternation(): boolean {
    let matchesEmpty = this.readConcatenation();
    while (this.peek() === "|") {
      this.pos++;
      matchesEmpty = this.readConcatenation() || matchesEmpty;
    }
    return matchesEmpty;
  }

  /** A run of repeated atoms; it matches "" when each of them can. */
  private readConcatenation(): boolean {
    const itemsMatchEmpty: boolean[] = [];
    let previousRepeat: Repeat | undefined;
    while (this.pos < this.src.length && this.peek() !== "|" && this.peek() !== ")") {
      const repeat = this.readRepeat();
      if (repeat) {
        // Perl forbids stacking repeats: `a**` is an error; `a*+` (PCRE's possessive repeat) too.
        if (previousRepeat && previousRepeat.end === repeat.start) {
          const why = this.src[repeat.start] === "+" ? "RE2 has no possessive repeats" : undefined;
          throw syntaxError("invalid nested repetition operator", this.src.slice(previousRepeat.start, repeat.end), why);
        }
        if (itemsMatchEmpty.length === 0) throw syntaxError("missing argument to repetition operator", this.src.slice(repeat.start, repeat.end));
        if (repeat.min === 0) itemsMatchEmpty[itemsMatchEmpty.length - 1] = true;
        previousRepeat = repeat;
        continue;
      }
      previousRepeat = undefined;
      itemsMatchEmpty.push(...this.readAtom());
    }
    return itemsMatchEmpty.every(Boolean);
  }

  /** `*`, `+`, `?` or a counted `{n}`, `{n,}`, `{n,m}`, each optionally lazy; undefined when none is here. */
  private readRepeat(): Repeat | undefined {
    const start = this.pos;
    const char = this.peek();
    let min: number;
    if (char === "*" || char === "?") min = 0;
    else if (char === "+") min = 1;
    else if (char === "{") {
      const counted = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      // A `{` that does not start a well-formed count is a literal, as in Go.
      if (!counted) return undefined;
      min = Number(counted[1]);
      const max = counted[2] === undefined ? min : counted[3] === "" ? -1 : Number(counted[3]);
      if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && max < min)) throw syntaxError("invalid repeat count", counted[0]);
      this.pos += counted[0].length - 1;
    } else return undefined;
    this.pos++;
    if (this.peek() === "?") this.pos++;
    return { min, start, end: this.pos };
  }

  /**
   * One atom; returns, per item it adds to the concatenation, whether that item matches "". A
   * flag group or an empty `\Q\E` adds none, `\Qab\E` adds one per character (a repeat after it
   * applies to the last one).
   */
  private readAtom(): boolean[] {
    switch (this.peek()) {
      case "(":
        return this.readGroup();
      case "[":
        this.readClass();
        return [false];
      case "^":
      case "$":
        this.pos++;
        return [true];
      case "\\":
        return this.readEscape();
      default:
        // One code point, so that a repeat after an astral character applies to all of it.
        this.pos += this.src.codePointAt(this.pos)! > 0xffff ? 2 : 1;
        return [false];
    }
  }

  private readGroup(): boolean[] {
    const rest = this.src.slice(this.pos);
    if (rest.startsWith("(?")) {
      for (const [prefix, why] of UNSUPPORTED_GROUPS) if (rest.startsWith(prefix)) throw syntaxError("invalid or unsupported Perl syntax", prefix, why);
      const named = /^\(\?P?<([^>]*)>/.exec(rest);
      if (named) {
        if (!/^\w+$/.test(named[1]!)) throw syntaxError("invalid named capture", named[0]);
        this.captures.push(named[1]!);
        if (named[0].startsWith("(?P")) this.jsEdits.push({ at: this.pos, length: 3, text: "(?" });
        this.pos += named[0].length;
        return [this.readGroupBody()];
      }
      if (rest.startsWith("(?P") || rest.startsWith("(?<")) throw syntaxError("invalid named capture", rest);
      return this.readFlags();
    }
    this.captures.push("");
    this.pos++;
    return [this.readGroupBody()];
  }

  private readGroupBody(): boolean {
    if (++this.depth > MAX_NESTING) throw syntaxError("expression nests too deeply", this.src.slice(0, 40));
    const matchesEmpty = this.readAlternation();
    if (this.peek() !== ")") throw syntaxError("missing closing )", this.src);
    this.pos++;
    this.depth--;
    return matchesEmpty;
  }

  /** `(?flags)` changes the flags for the rest of the group and adds nothing; `(?flags:re)` is a non-capturing group. */
  private readFlags(): boolean[] {
    const open = this.pos;
    this.pos += 2;
    let negated = false;
    let flagsAfterMinus = 0;
    for (;;) {
      const char = this.peek();
      if (char !== undefined && FLAGS.has(char)) {
        if (negated) flagsAfterMinus++;
        this.pos++;
        continue;
      }
      if (char === "-" && !negated) {
        negated = true;
        this.pos++;
        continue;
      }
      // Go rejects a dangling `-` as in `(?i-)`.
      if ((char === ")" || char === ":") && !(negated && flagsAfterMinus === 0)) {
        this.pos++;
        const flags = this.src.slice(open + 2, this.pos - 1);
        // JavaScript has flags for the whole pattern only, and no `U` (ungreedy).
        if (open === 0 && char === ")" && /^[ims]+$/.test(flags)) {
          this.jsFlags = flags;
          this.jsEdits.push({ at: open, length: this.pos - open, text: "" });
        } else if (flags !== "") this.jsDivergent = true;
        return char === ")" ? [] : [this.readGroupBody()];
      }
      throw syntaxError("invalid or unsupported Perl syntax", this.src.slice(open, Math.min(this.pos + 1, this.src.length)));
    }
  }

  /** A backslash outside a class: an assertion, a class, `\Q…\E`, or one escaped character. */
  private readEscape(): boolean[] {
    const next = this.peek(1);
    switch (next) {
      case "A":
      case "z":
        this.jsDivergent = true;
        this.pos += 2;
        return [true];
      case "B":
        // Zero-width; at the empty string `\A`, `\z` and `\B` (no word characters around) hold.
        this.pos += 2;
        return [true];
      case "b":
        this.pos += 2;
        return [false];
      case "Q": {
        this.jsDivergent = true;
        const end = this.src.indexOf("\\E", this.pos + 2);
        const literal = this.src.slice(this.pos + 2, end === -1 ? undefined : end);
        this.pos = end === -1 ? this.src.length : end + 2;
        return [...literal].map(() => false);
      }
    }
    if (!this.readClassEscape()) this.readSingleEscape();
    return [false];
  }

  /** `\d`-style and `\p{…}` classes, in or outside brackets; false when the escape is not one. */
  private readClassEscape(): boolean {
    const next = this.peek(1);
    if (next !== undefined && PERL_CLASSES.has(next)) {
      this.pos += 2;
      return true;
    }
    if (next !== "p" && next !== "P") return false;
    // JavaScript knows \p only with the `u` flag, which changes how it reads other escapes.
    this.jsDivergent = true;
    const rest = this.src.slice(this.pos);
    let sequence: string;
    let name: string;
    if (rest[2] === "{") {
      const close = rest.indexOf("}");
      if (close === -1) throw syntaxError("invalid character class range", rest);
      sequence = rest.slice(0, close + 1);
      name = rest.slice(3, close).replace(/^\^/, "");
    } else {
      sequence = rest.slice(0, 3);
      name = rest.slice(2, 3);
    }
    if (!isUnicodeClassName(name)) throw syntaxError("invalid character class range", sequence);
    this.pos += sequence.length;
    return true;
  }

  /** One escaped character, the way Go's parseEscape reads it. */
  private readSingleEscape(): void {
    const start = this.pos;
    const next = this.peek(1);
    if (next === undefined) throw syntaxError("trailing backslash at end of expression", "");
    const rest = this.src.slice(start + 1);
    const escape =
      /^[0-7]{2,3}|^0/.exec(rest)?.[0] ??
      /^x(?:[0-9A-Fa-f]{2}|\{[0-9A-Fa-f]+\})/.exec(rest)?.[0] ??
      (SINGLE_CHAR_ESCAPES.has(next) || /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e ]$/.test(next) ? next : undefined);
    if (escape === undefined || (escape.startsWith("x{") && Number.parseInt(escape.slice(2, -1), 16) > 0x10ffff)) {
      const why = /[1-9]/.test(next) ? "RE2 has no backreferences" : undefined;
      throw syntaxError("invalid escape sequence", this.src.slice(start, start + 2), why);
    }
    // JavaScript reads `\a` as "a", `\x{…}` not at all, and octal only outside the `u` flag, in its own way.
    if (escape === "a" || escape.startsWith("x{") || /^[0-7]{2}/.test(escape)) this.jsDivergent = true;
    this.pos += 1 + escape.length;
  }

  /** `[…]` with ranges, POSIX `[:name:]` classes and escapes; a `]` right after `[` or `[^` is literal. */
  private readClass(): void {
    const open = this.pos;
    this.pos++;
    if (this.peek() === "^") this.pos++;
    let first = true;
    while (first || this.peek() !== "]") {
      first = false;
      if (this.pos >= this.src.length) throw syntaxError("missing closing ]", this.src.slice(open));
      const rest = this.src.slice(this.pos);
      const posix = rest.startsWith("[:") ? /^\[:(\^?)([^:]*):\]/.exec(rest) : null;
      if (posix) {
        if (!POSIX_CLASSES.has(posix[2]!)) throw syntaxError("invalid character class range", posix[0]);
        this.jsDivergent = true;
        this.pos += posix[0].length;
        continue;
      }
      if (rest.startsWith("\\") && this.readClassEscape()) continue;
      const rangeStart = this.pos;
      const low = this.readClassChar(open);
      // `[a-]` is `a` or `-`.
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined) {
        this.pos++;
        const high = this.readClassChar(open);
        if (high < low) throw syntaxError("invalid character class range", this.src.slice(rangeStart, this.pos));
      }
    }
    this.pos++;
  }

  /** One character of a class, escaped or not; returns its code point for range checks. */
  private readClassChar(open: number): number {
    if (this.pos >= this.src.length) throw syntaxError("missing closing ]", this.src.slice(open));
    if (this.peek() !== "\\") {
      const codePoint = this.src.codePointAt(this.pos)!;
      this.pos += String.fromCodePoint(codePoint).length;
      return codePoint;
    }
    const start = this.pos;
    this.readSingleEscape();
    return escapedCodePoint(this.src.slice(start + 1, this.pos));
  }
}

const C_ESCAPES: Readonly<Record<string, number>> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

function escapedCodePoint(escape: string): number {
  if (/^[0-7]+$/.test(escape)) return Number.parseInt(escape, 8);
  if (escape.startsWith("x")) return Number.parseInt(escape.replace(/^x\{?|\}$/g, ""), 16);
  return C_ESCAPES[escape] ?? escape.codePointAt(0)!;
}

/**
 * Go accepts `Any`, the general categories by their short names (`L`, `Lu`, …) and the scripts by
 * their long names (`Greek`, `Han`, …); JavaScript's tables answer which of those exist.
 */
function isUnicodeClassName(name: string): boolean {
  if (name === "Any") return true;
  const property = /^[CLMNPSZ][a-z]?$/.test(name) ? `General_Category=${name}` : /^[A-Z][A-Za-z_]+$/.test(name) ? `Script=${name}` : undefined;
  if (!property) return false;
  try {
    new RegExp(`\\p{${property}}`, "u");
    return true;
  } catch {
    return false;
  }
}
