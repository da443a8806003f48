/**
 * The `options` a generated k6 script (k6/service.ts.hbs) exports, read without running the script:
 * its data constants (CHECKS, PROFILES) and its `options` expression are object literals, so a small
 * evaluator of that subset (literals, spreads, member access, `?:`) reconstructs every variant —
 * the default check run and one per load profile. Anything outside the subset is reported, so a
 * template change the model cannot follow fails loudly instead of being skipped.
 */
import { SyntaxProblem, TokenCursor, tokenize } from "./lexer.ts";

export interface OptionsVariant {
  /** "check run" or "profile <name>". */
  variant: string;
  options: unknown;
}

const LEXER = { punctuators: ["...", "{", "}", "[", "]", "(", ")", ":", ",", "?", ".", ";", "-"], quotes: ['"', "'", "`"] } as const;

class EvaluationProblem extends Error {}

/** Each variant's options, or why they cannot be read. */
export function scriptOptions(script: string): { variants: OptionsVariant[] } | { problem: string } {
  try {
    const checks = evaluateConstant(script, "CHECKS", new Map());
    const profiles = evaluateConstant(script, "PROFILES", new Map());
    if (!Array.isArray(checks)) return { problem: "CHECKS is not a list" };
    if (profiles === null || typeof profiles !== "object") return { problem: "PROFILES is not an object" };
    const variant = (name: string, profile: unknown): OptionsVariant => ({
      variant: name,
      options: evaluateConstant(script, "options", new Map<string, unknown>([["CHECKS", checks], ["PROFILES", profiles], ["profile", profile]])),
    });
    return { variants: [variant("check run", undefined), ...Object.entries(profiles).map(([name, profile]) => variant(`profile ${name}`, profile))] };
  } catch (error) {
    if (error instanceof SyntaxProblem || error instanceof EvaluationProblem) return { problem: error.message };
    throw error;
  }
}

/**
 * The thresholds `checkThresholds` (k6/lib/synthetics.ts, which imports k6's own modules and so
 * cannot load here) gives each check; test/validate/models/k6-options.test.ts keeps the two in step.
 */
export function checkThresholdsOf(checks: unknown, strict: unknown): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {};
  for (const item of checks as Array<{ name: string; expect: { maxSeconds: number | null } }>) {
    const limit = item.expect.maxSeconds;
    if (strict) thresholds[`checks{synthetic:${item.name}}`] = ["rate==1"];
    thresholds[`http_req_duration{synthetic:${item.name}}`] = [strict && limit !== null ? `max<${Math.round(limit * 1000)}` : "max>=0"];
  }
  return thresholds;
}

const FUNCTIONS: Readonly<Record<string, (...args: unknown[]) => unknown>> = { checkThresholds: checkThresholdsOf };

function evaluateConstant(script: string, name: string, scope: ReadonlyMap<string, unknown>): unknown {
  const declaration = new RegExp(`^(?:export\\s+)?const\\s+${name}\\b[^=\\n]*=`, "m").exec(script);
  if (!declaration) throw new EvaluationProblem(`the script declares no \`const ${name}\``);
  const cursor = new TokenCursor(tokenize(script, LEXER, declaration.index + declaration[0].length));
  const value = new Evaluator(cursor, scope).expression();
  cursor.expectPunctuator(";");
  return value;
}

class Evaluator {
  constructor(
    private readonly cursor: TokenCursor,
    private readonly scope: ReadonlyMap<string, unknown>,
  ) {}

  expression(): unknown {
    const condition = this.postfix();
    if (!this.cursor.isPunctuator("?")) return condition;
    this.cursor.next();
    // Both branches are read (so both must be in the subset); the condition picks one.
    const whenTrue = this.expression();
    this.cursor.expectPunctuator(":");
    const whenFalse = this.expression();
    return condition ? whenTrue : whenFalse;
  }

  private postfix(): unknown {
    let value = this.primary();
    for (;;) {
      if (this.cursor.isPunctuator(".")) {
        this.cursor.next();
        const property = this.cursor.next();
        if (property.kind !== "identifier") this.cursor.fail("expected a property name", property);
        value = value === undefined || value === null ? undefined : (value as Record<string, unknown>)[property.value];
      } else if (this.cursor.isPunctuator("(")) {
        throw new EvaluationProblem("calls are only understood on known helper names");
      } else return value;
    }
  }

  private primary(): unknown {
    const token = this.cursor.next();
    switch (token.kind) {
      case "string":
        return token.value;
      case "number":
        return Number(token.value);
      case "identifier":
        return this.identifier(token.value, token.line);
      case "punctuator":
        if (token.value === "-") {
          const number = this.cursor.next();
          if (number.kind !== "number") this.cursor.fail("expected a number after '-'", number);
          return -Number(number.value);
        }
        if (token.value === "[") return this.list();
        if (token.value === "{") return this.object();
        if (token.value === "(") {
          const value = this.expression();
          this.cursor.expectPunctuator(")");
          return value;
        }
        return this.cursor.fail("expected a value", token);
      case "end":
        return this.cursor.fail("expected a value", token);
    }
  }

  private identifier(name: string, line: number): unknown {
    const literals: Record<string, unknown> = { true: true, false: false, null: null, undefined: undefined };
    if (name in literals) return literals[name];
    const helper = FUNCTIONS[name];
    if (helper && this.cursor.isPunctuator("(")) {
      this.cursor.next();
      return helper(...this.cursor.sequence(")", () => this.expression()));
    }
    if (this.scope.has(name)) return this.scope.get(name);
    throw new EvaluationProblem(`line ${line}: \`${name}\` is outside what the options model can evaluate`);
  }

  private list(): unknown[] {
    return this.cursor.sequence("]", () => this.expression());
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.cursor.sequence("}", () => {
      if (this.cursor.isPunctuator("...")) {
        this.cursor.next();
        Object.assign(result, this.expression());
        return;
      }
      const key = this.cursor.next();
      if (key.kind !== "identifier" && key.kind !== "string") this.cursor.fail("expected a property name", key);
      this.cursor.expectPunctuator(":");
      result[key.value] = this.expression();
    });
    return result;
  }
}
