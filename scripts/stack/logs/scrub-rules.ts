/**
 * PII scrubbing as RE2 replace rules: the text of every capture group is replaced, the rest of the
 * match is kept — so a card keeps its last four digits and an email keeps its domain.
 */
import { re2AsJsRegExp } from "../syntax/re2.ts";

export interface ScrubRule {
  name: string;
  pattern: string;
  replacement: string;
}

/** The presets `logs.scrub.presets` may name. */
export const SCRUB_PRESET_NAMES = ["email", "creditCard", "ssn", "phone", "ip"] as const;
type PresetName = (typeof SCRUB_PRESET_NAMES)[number];

export const SCRUB_PRESETS: Readonly<Record<PresetName, ScrubRule>> = {
  // Cards first: their digit runs would otherwise be half-eaten by the phone rule.
  creditCard: { name: "credit-card", pattern: String.raw`\b((?:\d[ -]?){12,15})\d{4}\b`, replacement: "****-****-****-" },
  ssn: { name: "ssn", pattern: String.raw`\b(\d{3}-\d{2}-\d{4})\b`, replacement: "***-**-****" },
  email: { name: "email", pattern: String.raw`\b([A-Za-z0-9._%+-]+)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b`, replacement: "***" },
  phone: {
    name: "phone",
    pattern: String.raw`(\+?\d{1,3}[ .-]?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4})\b`,
    replacement: "[PHONE]",
  },
  ip: { name: "ip", pattern: String.raw`\b(?:\d{1,3}\.){3}(\d{1,3})\b`, replacement: "x" },
};

const PRESET_ORDER: readonly PresetName[] = ["creditCard", "ssn", "email", "phone", "ip"];

/** What scrubRules needs of the `logs` config. */
export interface ScrubConfig {
  scrub: { presets: readonly PresetName[]; custom: readonly ScrubRule[] };
}

export function scrubRules(logs: ScrubConfig): ScrubRule[] {
  const presets = PRESET_ORDER.filter((name) => logs.scrub.presets.includes(name)).map((name) => SCRUB_PRESETS[name]);
  return [...presets, ...logs.scrub.custom];
}

/**
 * The same semantics in JavaScript, so the presets can be proven on sample lines and the smoke test
 * knows the line to expect; undefined when a rule uses RE2 syntax JavaScript reads differently
 * (see re2AsJsRegExp), rather than a wrong expectation.
 */
export function applyScrubRules(line: string, rules: readonly ScrubRule[]): string | undefined {
  let text = line;
  for (const rule of rules) {
    const regex = re2AsJsRegExp(rule.pattern, { flags: "gd" });
    if (!regex) return undefined;
    text = replaceGroups(text, regex, rule.replacement);
  }
  return text;
}

function replaceGroups(text: string, regex: RegExp, replacement: string): string {
  let out = "";
  let cursor = 0;
  for (const match of text.matchAll(regex)) {
    for (const span of match.indices!.slice(1)) {
      if (!span) continue;
      out += text.slice(cursor, span[0]) + replacement;
      cursor = span[1];
    }
  }
  return out + text.slice(cursor);
}
