/**
 * blockYaml writes the big generated files (rule packs) without asking the `yaml` library about
 * every scalar. Proven here: whatever the strings, both YAML 1.1 (Go's parsers) and 1.2 read back
 * exactly the data; and where the library's own output is unambiguous, the bytes are the library's.
 */
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { blockYaml, yamlQuoted } from "../../../scripts/stack/render/yaml-text.ts";
import { seededRandom, type Random } from "../../helpers/seeded-random.ts";

const SEED = 0x7e_17;
const CASES = 3_000;

/** Characters YAML gives a meaning to, digits, letters of every kind, spaces and line breaks (none the schema refuses). */
const ALPHABET = [..."aZy_(/-?:,[]{}#&*!|>'\"%@`~.+=<$\\ \t\n0123459eExXoOb", "é", "日", "\u00a0", "\r"];
const WORDS = ["yes", "No", "ON", "off", "y", "N", "true", "False", "null", "Null", "~", "1e3", "0x1F", "1_000", "12:30", "2001-12-14", "2001-12-14 21:59:43 -5", ".inf", "<<", "=", "---", "...", "30s", "3m45s", "1 - (a)", "1.5", "-1"];

function randomString(random: Random): string {
  if (random.chance(0.2)) return random.pick(WORDS);
  const length = random.int(12);
  let text = random.chance(0.3) ? random.pick(WORDS) : "";
  for (let index = 0; index < length; index++) text += random.pick(ALPHABET);
  return text;
}

function randomData(random: Random, depth: number): unknown {
  const roll = random.int(depth > 2 ? 3 : 6);
  if (roll === 0) return randomString(random);
  if (roll === 1) return random.pick([0, 7, -3, 2.5, 0.999, true, false, null]);
  if (roll === 2) return randomString(random);
  if (roll === 3) return Array.from({ length: random.int(4) }, () => randomData(random, depth + 1));
  return Object.fromEntries(Array.from({ length: random.int(4) }, () => [randomString(random).replace(/\n/g, ""), randomData(random, depth + 1)]));
}

describe("blockYaml", () => {
  it(`${CASES} seeded random documents read back unchanged in YAML 1.2 and 1.1`, () => {
    const random = seededRandom(SEED);
    for (let index = 0; index < CASES; index++) {
      const data = { doc: randomData(random, 0) };
      const text = blockYaml(data);
      expect(parse(text), text).toEqual(data);
      expect(parse(text, { version: "1.1" }), text).toEqual(data);
    }
  });

  it("lays a rule document out byte for byte as the library does", () => {
    const rules = {
      groups: [
        {
          name: "slo.checkout.availability",
          interval: "30s",
          rules: [
            { record: "slo:sli_error:ratio_rate5m", expr: 'sum(rate(x{job="checkout"}[5m]))', labels: { service: "checkout", slo: "availability" } },
            { record: "slo:error_budget_remaining:ratio", expr: "1 - (sum(rate(x[30d])) / 0.01)" },
            {
              alert: "Fast",
              expr: 'a > 3\nand on (service) b{service="checkout"} >= 0.5',
              for: "3m45s",
              labels: { severity: "critical", quoted: "needs: quotes", regex: '"status"\\s*:\\s*"ok"', empty: "" },
              annotations: { description: "It burns: see the runbook.", nothing: [], none: {} },
            },
          ],
        },
      ],
      tests: [[1, "two"], { series: "up", values: "1+0x10" }],
      flag: true,
    };
    expect(blockYaml(rules)).toBe(stringify(rules, { lineWidth: 0, aliasDuplicateObjects: false }));
  });

  it("matches the library on every random one-line string whose library output Go reads the same way", () => {
    const random = seededRandom(SEED + 1);
    let compared = 0;
    for (let index = 0; index < CASES; index++) {
      const value = randomString(random).replace(/[\n\r\t]/g, " ");
      const library = stringify({ key: value }, { lineWidth: 0 });
      if (parse(library, { version: "1.1" }).key !== value) continue;
      expect(blockYaml({ key: value }), JSON.stringify(value)).toBe(library);
      compared++;
    }
    expect(compared).toBeGreaterThan(CASES * 0.8);
  });

  it("leaves out keys whose value is undefined and refuses undefined in a list", () => {
    expect(blockYaml({ a: 1, b: undefined })).toBe("a: 1\n");
    expect(() => blockYaml({ list: [undefined] })).toThrow(/renderer bug/);
  });
});

describe("yamlQuoted", () => {
  it("is the library's double-quoted scalar for printable ASCII", () => {
    const random = seededRandom(SEED + 2);
    for (let index = 0; index < CASES; index++) {
      const value = randomString(random).replace(/[^ -~]/g, "x");
      expect(yamlQuoted(value)).toBe(stringify(value, { lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", doubleQuotedMinMultiLineLength: Infinity }).trimEnd());
    }
  });
});
