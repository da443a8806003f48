/**
 * The Collector scrubs with a plain replace-all; the rewrite must give exactly what the group-replacing
 * semantics of Promtail and Alloy give (applyScrubRules), and refuse patterns it cannot rewrite.
 */
import { describe, expect, it } from "vitest";
import { SCRUB_PRESETS, applyScrubRules } from "../../../scripts/stack/logs/scrub-rules.ts";
import { scrubPatternProblem, toReplaceAll, type ReplaceAll } from "../../../scripts/stack/logs/scrub-rewrite.ts";

/** Go's ReplaceAllString, in JavaScript: `(?P<n>` is `(?<n>`, `${n}` expands a group, `$$` is `$`. */
function goReplaceAll(text: string, { pattern, replacement }: ReplaceAll): string {
  const flags = /^\(\?([a-z]+)\)/.exec(pattern);
  const regex = new RegExp(pattern.slice(flags?.[0].length ?? 0).replaceAll("(?P<", "(?<"), `g${flags?.[1] ?? ""}`);
  return text.replace(regex, (...args) => {
    const groups = (args.at(-1) ?? {}) as Record<string, string | undefined>;
    return replacement.replace(/\$\$|\$\{(\w+)\}/g, (_token, name: string | undefined) => (name ? (groups[name] ?? "") : "$"));
  });
}

const LINES = [
  "paid with 4111 1111 1111 1234 ok",
  "card=5500-0000-0000-0004 and 4000-0000-0000-0002",
  '{"user":"jane.doe+x@example.co.uk","cc":"bob@example.com"}',
  "ssn 123-45-6789 given",
  "call +1 415-555-0100 now",
  "from 10.20.30.40 port 22 to 192.168.0.1",
  "nothing to see here 1234",
];

describe("scrub rules as replace-all", () => {
  it.each(Object.values(SCRUB_PRESETS))("preset $name gives the same lines", (rule) => {
    const rewritten = toReplaceAll(rule.pattern, rule.replacement);
    for (const line of LINES) expect(goReplaceAll(line, rewritten), line).toBe(applyScrubRules(line, [rule]));
  });

  it.each([
    ["token=(\\w+)", "[REDACTED]", "a token=abc123 b token=x", "a token=[REDACTED] b token=[REDACTED]"],
    ["(\\w+):(\\w+)@", "*", "http://user:pass@host", "http://*:*@host"],
    ["(?i)secret=(\\S+)", "***", "SECRET=a secret=b", "SECRET=*** secret=***"],
    ["(?P<pw>hunter\\d)", "$HOME", "pw hunter2", "pw $HOME"],
    ["pin=(\\d+)", "${x}$$", "pin=1234", "pin=${x}$$"],
    ["id=([0-9a-f]{8})(?:-[0-9a-f]{4}){3}", "x", "id=deadbeef-0000-1111-2222 end", "id=x-0000-1111-2222 end"],
    ["[(](\\d+)[)]", "N", "(42)", "(N)"],
  ])("custom %s → %s", (pattern, replacement, line, expected) => {
    expect(applyScrubRules(line, [{ name: "custom", pattern: pattern.replace("(?P<", "(?<"), replacement }])).toBe(expected);
    expect(goReplaceAll(line, toReplaceAll(pattern, replacement))).toBe(expected);
  });

  it("treats \\Q…\\E and character classes as atoms, not groups", () => {
    expect(toReplaceAll("\\Q(a)\\E(b)", "B")).toEqual({ pattern: "(?P<obs_keep_0>\\Q(a)\\E)(?:b)", replacement: "${obs_keep_0}B" });
    expect(toReplaceAll("[(](\\d+)[)]", "N").pattern).toBe("(?P<obs_keep_0>[(])(?:\\d+)(?P<obs_keep_1>[)])");
  });

  it("writes a literal $ in the replacement as $$, so Go's template expansion leaves it alone", () => {
    expect(toReplaceAll("k=(\\w+)", "$1").replacement).toBe("${obs_keep_0}$$1");
  });

  it("closes an unterminated \\Q inside its kept group, so the group's ) is not quoted", () => {
    expect(toReplaceAll("(a)\\Q.*", "x")).toEqual({ pattern: "(?:a)(?P<obs_keep_0>\\Q.*\\E)", replacement: "x${obs_keep_0}" });
  });

  it("ends on a character class with an unclosed [: (no endless loop)", () => {
    expect(toReplaceAll("[[:x](\\d+)", "N")).toEqual({ pattern: "(?P<obs_keep_0>[[:x])(?:\\d+)", replacement: "${obs_keep_0}N" });
  });

  it("keeps inline flags in front, outside the kept groups", () => {
    expect(toReplaceAll("(?i)key=(\\w+)", "x")).toEqual({ pattern: "(?i)(?P<obs_keep_0>key=)(?:\\w+)", replacement: "${obs_keep_0}x" });
  });

  it.each([
    ["(a)|(b)", /top-level alternation/],
    ["(a)+", /cannot be repeated/],
    ["(\\d{2}){3}", /cannot be repeated/],
    ["((a)b)", /cannot be nested/],
    ["(?:x(a))", /inside another group/],
    ["x(?i)(a)", /must come first/],
    ["(a", /unbalanced/],
  ])("refuses %s", (pattern, message) => {
    expect(scrubPatternProblem(pattern)).toMatch(message);
  });

  it("accepts alternation inside a group and patterns without any capture group", () => {
    expect(scrubPatternProblem("(?:user|login)=(\\w+)")).toBeUndefined();
    expect(scrubPatternProblem("password|secret")).toBeUndefined();
    expect(toReplaceAll("password|secret", "***")).toEqual({ pattern: "password|secret", replacement: "***" });
  });
});
