import { describe, expect, it } from "vitest";
import { SCRUB_PRESETS, applyScrubRules, scrubRules } from "../../../scripts/stack/logs/scrub-rules.ts";
import { modelOf } from "../../helpers/parse.ts";

const all = scrubRules(modelOf({ logs: { scrub: { presets: ["email", "creditCard", "ssn", "phone", "ip"] } } }).config.logs);

describe("PII scrubbing presets on sample lines", () => {
  it.each([
    ["a card keeps its last 4 digits", "paid with 4111 1111 1111 1234 ok", "paid with ****-****-****-1234 ok"],
    ["a dashed card keeps its last 4 digits", "card=5500-0000-0000-0004", "card=****-****-****-0004"],
    ["an email keeps its domain", '{"user":"jane.doe+x@example.co.uk"}', '{"user":"***@example.co.uk"}'],
    ["an SSN is masked", "ssn 123-45-6789 given", "ssn ***-**-**** given"],
    ["a phone number is masked", "call +1 415-555-0100 now", "call [PHONE] now"],
    ["an IPv4 address keeps its network", "from 10.20.30.40 port 22", "from 10.20.30.x port 22"],
  ])("%s", (_title, line, expected) => {
    expect(applyScrubRules(line, all)).toBe(expected);
  });

  it("leaves lines without PII untouched", () => {
    const line = '{"level":"info","msg":"order 42 shipped in 1234 ms","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}';
    expect(applyScrubRules(line, all)).toBe(line);
  });

  it("applies only the selected presets, in a fixed order, then custom rules", () => {
    const rules = scrubRules(
      modelOf({ logs: { scrub: { presets: ["ip", "email"], custom: [{ name: "token", pattern: "token=(\\w+)" }] } } }).config.logs,
    );
    expect(rules.map((rule) => rule.name)).toEqual(["email", "ip", "token"]);
    expect(applyScrubRules("a@b.io 1.2.3.4 token=abc123", rules)).toBe("***@b.io 1.2.3.x token=[REDACTED]");
  });

  it("every preset is valid RE2-compatible syntax with a capture group", () => {
    for (const preset of Object.values(SCRUB_PRESETS)) {
      expect(preset.pattern).not.toMatch(/\(\?<?[=!]/);
      expect(new RegExp(`${preset.pattern}|`).exec("")!.length).toBeGreaterThan(1);
    }
  });

  it("reads RE2's own syntax, and expects nothing rather than a wrong line where JavaScript reads a rule differently", () => {
    expect(applyScrubRules("Token=abc", [{ name: "t", pattern: "(?i)token=(?P<v>\\w+)", replacement: "x" }])).toBe("Token=x");
    expect(applyScrubRules("a.b", [{ name: "q", pattern: "(\\Qa.b\\E)", replacement: "x" }])).toBeUndefined();
  });
});
