import { describe, expect, it } from "vitest";
import { describeInput, quoteForMessage } from "../../../scripts/stack/syntax/message-values.ts";

describe("values in error messages", () => {
  it("names a value of any type", () => {
    expect([undefined, null, "", "9090", 3, Number.NaN, true, [], [1, 2], {}, () => 1].map(describeInput)).toEqual([
      "nothing",
      "null",
      "an empty string",
      'the string "9090"',
      "the number 3",
      "the number NaN",
      "true",
      "an empty list",
      "a list of 2",
      "an object",
      "a function",
    ]);
  });

  it("escapes what a terminal would act on, and cuts long values", () => {
    expect(quoteForMessage("a\u001b[2J\u009b31m\u2028\u202e\n")).toBe('"a\\u001b[2J\\u009b31m\\u2028\\u202e\\n"');
    expect(quoteForMessage("x".repeat(100), 10)).toBe(`"${"x".repeat(10)}…"`);
  });
});
