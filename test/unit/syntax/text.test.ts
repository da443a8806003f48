import { describe, expect, it } from "vitest";
import { forbiddenCharacter } from "../../../scripts/stack/syntax/text.ts";

describe("characters a config string can carry", () => {
  it.for([
    ["\u0000", "a control character (U+0000)"],
    ["\u001b", "a control character (U+001B)"],
    ["\u007f", "a control character (U+007F)"],
    ["\u0085", "a control character (U+0085)"],
    ["\u009f", "a control character (U+009F)"],
    ["\u2028", "a line or paragraph separator (U+2028), which YAML 1.1 parsers read as a line break"],
    ["\u2029", "a line or paragraph separator (U+2029), which YAML 1.1 parsers read as a line break"],
    ["\ufffe", "the noncharacter U+FFFE"],
    ["\uffff", "the noncharacter U+FFFF"],
    ["\ud800", "a lone surrogate (U+D800), which is not Unicode text"],
    ["\udc00x", "a lone surrogate (U+DC00), which is not Unicode text"],
  ] as const)("refuses %j anywhere", ([text, description]) => {
    for (const shape of ["line", "block"] as const) expect(forbiddenCharacter(`ok${text}`, shape)).toEqual({ index: 2, description });
  });

  it("refuses line breaks and tabs on one line only", () => {
    expect(forbiddenCharacter("a\nb", "line")).toEqual({ index: 1, description: "a line break (U+000A)" });
    expect(forbiddenCharacter("a\r\nb", "line")?.description).toBe("a line break (U+000D)");
    expect(forbiddenCharacter("a\tb", "line")?.description).toBe("a tab (U+0009)");
    expect(forbiddenCharacter("a\r\n\tb", "block")).toBeUndefined();
  });

  it("accepts any other Unicode, including pairs of surrogates and the quotes, $ and braces formats care about", () => {
    for (const text of ["日本語", "🙂 emoji", "é\u00a0NBSP", "\ufeffBOM", "\u202eRTL", "\"'\\$${}{{ }}#:-[]&*!%@`", ""])
      for (const shape of ["line", "block"] as const) expect(forbiddenCharacter(text, shape), text).toBeUndefined();
  });
});
