import { describe, expect, it } from "vitest";
import { readMatcher } from "../../../scripts/stack/syntax/label-matcher.ts";

describe("label matchers as Alertmanager reads them", () => {
  it.for([
    ['team="payments"', { label: "team", op: "=", value: "payments" }],
    ['code =~ "5.."', { label: "code", op: "=~", value: "5.." }],
    ['code=~"5\\d\\d"', { label: "code", op: "=~", value: "5\\d\\d" }],
    ['msg!="a\\"b"', { label: "msg", op: "!=", value: 'a"b' }],
    ['msg!~"a\\\\b"', { label: "msg", op: "!~", value: "a\\b" }],
    ['msg="a\\nb"', { label: "msg", op: "=", value: "a\nb" }],
    ['empty=""', { label: "empty", op: "=", value: "" }],
    ['outcome=~"(?i)error|(?P<x>fail)"', { label: "outcome", op: "=~", value: "(?i)error|(?P<x>fail)" }],
  ])("reads %s", ([text, matcher]) => {
    expect(readMatcher(text as string)).toEqual(matcher);
  });

  it.for([
    ["team=payments", /label matcher/],
    ['1team="x"', /label matcher/],
    ['team=="x"', /label matcher/],
    ['team="a"b"', /escape every "/],
    ['team="ab\\"', /escape every "/],
    ['team="ab', /escape every "/],
    ['code=~"(5.."', /not a valid RE2 regex \(error parsing regexp: missing closing \)/],
    ['code=~"5(?!00)"', /RE2 has no lookahead/],
  ] as const)("refuses %s", ([text, problem]) => {
    const read = readMatcher(text);
    expect("problem" in read && read.problem).toMatch(problem);
  });

  it("does not check = and != values as regexes", () => {
    expect(readMatcher('team="(("')).toEqual({ label: "team", op: "=", value: "((" });
  });
});
