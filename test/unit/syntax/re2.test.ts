/** RE2 as Go reads it: what it accepts and refuses, and its JavaScript twin for sampling. */
import { describe, expect, it } from "vitest";
import { parseRe2, re2AsJsRegExp } from "../../../scripts/stack/syntax/re2.ts";

describe("RE2 syntax, as Go reads it", () => {
  it.for([
    [".*", true],
    [".+", false],
    ["", true],
    ["a|", true],
    ["(?i)err(or)?", false],
    ["(a|b*)", true],
    ["^$", true],
    ["\\b", false],
    ["x{0,3}", true],
    ["[[:alpha:]]+\\p{Greek}\\pL", false],
    ["\\Qa.b\\E*", false],
  ] as const)("%s matches the empty string: %s", ([pattern, matchesEmpty]) => {
    expect(parseRe2(pattern)).toEqual({ matchesEmpty, captures: expect.any(Array) });
  });

  it("lists named and unnamed captures in order", () => {
    expect(parseRe2("(?P<method>\\w+) (\\S+) (?<status>\\d{3})(?:x)")).toEqual({ matchesEmpty: false, captures: ["method", "", "status"] });
  });

  it.for([
    ["*a", "missing argument to repetition operator: `*`"],
    ["a**", "invalid nested repetition operator: `**`"],
    ["a{1001}", "invalid repeat count: `{1001}`"],
    ["(?x)a", "invalid or unsupported Perl syntax: `(?x`"],
    ["(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"],
    ["(abc", "missing closing ): `(abc`"],
    ["abc)", "unexpected ): `abc)`"],
    ["[abc", "missing closing ]: `[abc`"],
    ["[[:word2:]]", "invalid character class range: `[:word2:]`"],
    ["\\p{Klingon}", "invalid character class range: `\\p{Klingon}`"],
    ["[\\b]", "invalid escape sequence: `\\b`"],
    ["a\\", "trailing backslash at end of expression: ``"],
  ] as const)("rejects %s", ([pattern, error]) => {
    expect(parseRe2(pattern)).toEqual({ error: `error parsing regexp: ${error}` });
  });
});

describe("RE2 limits", () => {
  it("refuses nesting deeper than Go's, instead of exhausting the stack", () => {
    expect(parseRe2(`${"(".repeat(1001)}a${")".repeat(1001)}`)).toEqual({ error: expect.stringContaining("expression nests too deeply") });
    expect(parseRe2(`${"(".repeat(1000)}a${")".repeat(1000)}`)).toMatchObject({ matchesEmpty: false });
  });
});

describe("the JavaScript twin of an RE2 regex", () => {
  it.for([
    ["(?i)error", "ERROR", true],
    ["(?P<code>5..)", "503", true],
    ["(?s)a.b", "a\nb", true],
    ["5(?:0|9)\\d", "509", true],
    ["[a-z]+", "ABC", false],
  ] as const)("%s on %s: %s", ([pattern, input, matched]) => {
    expect(re2AsJsRegExp(pattern, { anchored: true })?.test(input)).toBe(matched);
  });

  it("anchors like Prometheus and Alertmanager", () => {
    expect(re2AsJsRegExp("5..", { anchored: true })?.test("1500")).toBe(false);
    expect(re2AsJsRegExp("a|b", { anchored: true })?.test("ab")).toBe(false);
  });

  it.for(["\\Qa.b\\E", "[[:digit:]]", "\\pL", "\\x{41}", "\\101", "a\\z", "\\Aa", "\\a", "a(?i)b", "(?U)a+", "(?i:a)b", "a)", "(?=a)"])(
    "is undefined for %s, which JavaScript reads differently or not at all",
    (pattern) => {
      expect(re2AsJsRegExp(pattern)).toBeUndefined();
    },
  );

  it("is undefined for a leading (?m) when anchored, whose anchors JavaScript would move", () => {
    expect(re2AsJsRegExp("(?m)a", { anchored: true })).toBeUndefined();
    expect(re2AsJsRegExp("(?m)^a$")?.flags).toBe("m");
  });
});
