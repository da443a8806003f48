/**
 * Mutations of a valid config for the property test: hostile strings (control characters, line
 * breaks, quotes, YAML and template syntax, Compose's `$`, strange and huge Unicode) in place of or
 * after a string, type changes, deletions, duplicated entries, unknown keys and odd numbers.
 */
import { quoteForMessage } from "../../scripts/stack/syntax/message-values.ts";
import type { Random } from "./seeded-random.ts";

/** Pieces of hostile strings that free text may hold: each breaks some file format when spliced in raw. */
const PRINTABLE = [
  "\n",
  "\r\n",
  "\n  - receiver: injected",
  "\nextra_key: true",
  "\n# comment",
  "\t",
  "# comment",
  "\ufeff",
  "\u202e",
  '"',
  "'",
  "\\",
  '\\"',
  "\\n",
  "`",
  "$",
  "$HOME",
  "${HOME}",
  "$$",
  "${X:-}",
  "$__file{/etc/passwd}",
  "{{",
  "}}",
  "{{ .Value }}",
  '"}} {{ template "x" }}',
  "&anchor",
  "*alias",
  "!tag",
  "%YAML 1.1",
  "---",
  "...",
  ": ",
  " #",
  "- ",
  "[",
  "]",
  "{",
  "}",
  ",",
  "?",
  "|",
  ">",
  "@",
  "yes",
  "null",
  "~",
  "0x10",
  "1e3",
  "é",
  "日本語",
  "🙂",
  "(?=x)",
  "(",
  "a".repeat(5000),
  " ",
];

/** Characters no generated file can carry: the schema must refuse every one of them. */
const UNREPRESENTABLE = ["\u0000", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\u009b", "\u2028", "\u2029", "\ufffe", "\uffff", "\ud800", "\udc00"];

export function hostileString(random: Random): string {
  if (random.chance(0.02)) return "x".repeat(200_000);
  if (random.chance(0.05)) return "";
  const parts = Array.from({ length: 1 + random.int(3) }, () => random.pick(random.chance(0.2) ? UNREPRESENTABLE : PRINTABLE));
  return random.chance(0.5) ? `ok${parts.join("")}` : parts.join("");
}

/** Keys that mean something somewhere: to maps of labels and headers, the stack's own label names. */
const INTERESTING_KEYS = ["surprise", "service", "job", "instance", "le", "__address__", "__name__", "Content-Length"];

const ODD_NUMBERS = [Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 1.5, -0, 1e12, 65536, 2 ** 53];

type Container = Record<string, unknown> | unknown[];

interface Site {
  parent: Container;
  key: string | number;
  value: unknown;
  path: string;
}

function sites(value: unknown, path = ""): Site[] {
  if (typeof value !== "object" || value === null) return [];
  const container = value as Container;
  const entries: Array<[string | number, unknown]> = Array.isArray(container) ? container.map((item, i) => [i, item]) : Object.entries(container);
  return entries.flatMap(([key, child]) => {
    const childPath = typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    return [{ parent: container, key, value: child, path: childPath }, ...sites(child, childPath)];
  });
}

/** Where configs hold free text (names, labels, messages, request parts, patterns): mutated more often, as most hostile text goes there. */
const FREE_TEXT =
  /(?:receivers\[\d+\]\.name|timeIntervals\[\d+\]\.name|channel|authUsername|adminUser|body|bodyContains\[\d+\]|labels\.\w+|headers\.[\w-]+|json\..+|replacement|routes\[\d+\]\.category|pattern)$/;

export interface Mutation {
  description: string;
  /** A string replaced by or extended with another string: the files' structure must not change. */
  textOnly: boolean;
}

/** Applies one random mutation in place and says what it did. */
export function mutate(config: Record<string, unknown>, random: Random): Mutation {
  const all = sites(config);
  const strings = all.filter((site) => typeof site.value === "string");
  const containers = all.filter((site) => typeof site.value === "object" && site.value !== null);
  const set = (site: Site, value: unknown) => {
    (site.parent as Record<string | number, unknown>)[site.key] = value;
  };
  const freeText = strings.filter((site) => FREE_TEXT.test(site.path));
  const kind = random.pick(["replace", "append", "append", "rename", "rename", "type", "delete", "duplicate", "unknown-key", "number"] as const);
  switch (kind) {
    case "replace":
    case "append": {
      const site = random.pick(random.chance(0.7) && freeText.length ? freeText : strings);
      const hostile = hostileString(random);
      set(site, kind === "replace" ? hostile : `${site.value as string}${hostile}`);
      return { description: `${kind} ${site.path} with ${quoteForMessage(hostile, 40)}`, textOnly: true };
    }
    case "rename": {
      // Every occurrence at once, so that references (a receiver's name in routes) still resolve.
      const old = random.pick(freeText.length ? freeText : strings).value as string;
      const renamed = `${old}${hostileString(random)}`;
      for (const site of strings) if (site.value === old) set(site, renamed);
      return { description: `rename every ${quoteForMessage(old, 40)} to ${quoteForMessage(renamed, 40)}`, textOnly: true };
    }
    case "type": {
      const site = random.pick(all);
      const value = random.pick<unknown>([42, true, null, [], {}, "9090", [hostileString(random)], { x: 1 }]);
      set(site, value);
      return { description: `set ${site.path} to ${quoteForMessage(JSON.stringify(value) ?? String(value), 40)}`, textOnly: false };
    }
    case "delete": {
      const site = random.pick(all);
      if (Array.isArray(site.parent)) site.parent.splice(site.key as number, 1);
      else delete site.parent[site.key as string];
      return { description: `delete ${site.path}`, textOnly: false };
    }
    case "duplicate": {
      const arrays = containers.filter((site) => Array.isArray(site.value) && site.value.length > 0);
      if (arrays.length === 0) return mutate(config, random);
      const site = random.pick(arrays);
      const items = site.value as unknown[];
      items.push(structuredClone(random.pick(items)));
      return { description: `duplicate an entry of ${site.path}`, textOnly: false };
    }
    case "unknown-key": {
      const objects = [{ value: config, path: "(root)" }, ...containers.filter((site) => !Array.isArray(site.value))];
      const site = random.pick(objects);
      const key = random.chance(0.5) ? hostileString(random) : random.pick(INTERESTING_KEYS);
      (site.value as Record<string, unknown>)[key] = random.chance(0.5) ? hostileString(random) : 1;
      return { description: `add key ${quoteForMessage(key, 40)} to ${site.path}`, textOnly: false };
    }
    case "number": {
      const numbers = all.filter((site) => typeof site.value === "number");
      if (numbers.length === 0) return mutate(config, random);
      const site = random.pick(numbers);
      const value = random.pick(ODD_NUMBERS);
      set(site, value);
      return { description: `set ${site.path} to ${value}`, textOnly: false };
    }
  }
}
