/**
 * A small lazy tokenizer for the C-like config syntaxes the models read (Alloy's config language and
 * the object literals of generated k6 scripts): identifiers, numbers, quoted strings, punctuators,
 * `//` and `/* *\/` comments. Lazy, so a reader can stop after the part it needs.
 */

export type TokenKind = "identifier" | "number" | "string" | "punctuator" | "end";

export interface Token {
  kind: TokenKind;
  /** The decoded value for strings; the source text otherwise. */
  value: string;
  line: number;
  column: number;
}

export class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${line}:${column}: ${message}`);
  }
}

export interface LexerOptions {
  /** Longest first where one is a prefix of another (`...` before `.`). */
  punctuators: readonly string[];
  /** Quote characters that open a string literal; a backquote one is raw (no escapes). */
  quotes: readonly string[];
}

const ESCAPES: Readonly<Record<string, string>> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'", "`": "`" };

export function* tokenize(source: string, options: LexerOptions, start = 0): Generator<Token, Token> {
  let position = start;
  let line = 1 + (source.slice(0, start).match(/\n/g)?.length ?? 0);
  let lineStart = source.lastIndexOf("\n", start - 1) + 1;
  const at = () => ({ line, column: position - lineStart + 1 });
  const advance = (count: number) => {
    for (let i = 0; i < count; i++) {
      if (source[position] === "\n") {
        line++;
        lineStart = position + 1;
      }
      position++;
    }
  };
  while (position < source.length) {
    const char = source[position]!;
    if (/\s/.test(char)) {
      advance(1);
      continue;
    }
    if (source.startsWith("//", position)) {
      const end = source.indexOf("\n", position);
      advance((end === -1 ? source.length : end) - position);
      continue;
    }
    if (source.startsWith("/*", position)) {
      const end = source.indexOf("*/", position + 2);
      if (end === -1) throw new SyntaxProblem("unterminated block comment", at().line, at().column);
      advance(end + 2 - position);
      continue;
    }
    const here = at();
    if (options.quotes.includes(char)) {
      yield { kind: "string", value: readString(), ...here };
      continue;
    }
    const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(position, position + 256));
    if (word) {
      advance(word[0].length);
      yield { kind: "identifier", value: word[0], ...here };
      continue;
    }
    const number = /^(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(source.slice(position, position + 64));
    if (number) {
      advance(number[0].length);
      yield { kind: "number", value: number[0], ...here };
      continue;
    }
    const punctuator = options.punctuators.find((candidate) => source.startsWith(candidate, position));
    if (punctuator) {
      advance(punctuator.length);
      yield { kind: "punctuator", value: punctuator, ...here };
      continue;
    }
    throw new SyntaxProblem(`unexpected character ${JSON.stringify(char)}`, here.line, here.column);
  }
  return { kind: "end", value: "", ...at() };

  function readString(): string {
    const quote = source[position]!;
    const opened = at();
    advance(1);
    let value = "";
    while (position < source.length && source[position] !== quote) {
      const char = source[position]!;
      if (char === "\n" && quote !== "`") break;
      if (char === "\\" && quote !== "`") {
        value += readEscape();
        continue;
      }
      value += char;
      advance(1);
    }
    if (source[position] !== quote) throw new SyntaxProblem(`unterminated string literal (opened with ${quote})`, opened.line, opened.column);
    advance(1);
    return value;
  }

  function readEscape(): string {
    const next = source[position + 1];
    const unicode = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{3}))/.exec(source.slice(position, position + 10));
    if (unicode) {
      advance(unicode[0].length);
      const [, hex, u4, u8, octal] = unicode;
      return String.fromCodePoint(octal ? parseInt(octal, 8) : parseInt((hex ?? u4 ?? u8)!, 16));
    }
    if (next === undefined || !(next in ESCAPES)) {
      const here = at();
      throw new SyntaxProblem(`unknown escape sequence \\${next ?? ""}`, here.line, here.column);
    }
    advance(2);
    return ESCAPES[next]!;
  }
}

/** One-token lookahead over a token stream: what the recursive-descent readers need. */
export class TokenCursor {
  private current: Token;

  constructor(private readonly tokens: Generator<Token, Token>) {
    this.current = this.pull();
  }

  private pull(): Token {
    const next = this.tokens.next();
    return next.value;
  }

  peek(): Token {
    return this.current;
  }

  next(): Token {
    const token = this.current;
    if (token.kind !== "end") this.current = this.pull();
    return token;
  }

  isPunctuator(value: string): boolean {
    return this.current.kind === "punctuator" && this.current.value === value;
  }

  expectPunctuator(value: string): Token {
    if (!this.isPunctuator(value)) this.fail(`expected "${value}"`);
    return this.next();
  }

  /** Comma-separated items up to `close` (consumed), a trailing comma allowed. */
  sequence<Item>(close: string, item: () => Item): Item[] {
    const items: Item[] = [];
    while (!this.isPunctuator(close)) {
      items.push(item());
      if (this.isPunctuator(",")) this.next();
      else if (!this.isPunctuator(close)) this.fail(`expected "," or "${close}"`);
    }
    this.next();
    return items;
  }

  fail(message: string, token: Token = this.current): never {
    const found = token.kind === "end" ? "end of input" : JSON.stringify(token.value);
    throw new SyntaxProblem(`${message}, found ${found}`, token.line, token.column);
  }
}
