/**
 * Scrub rules replace the text of their capture groups and keep the rest of the match (a card keeps
 * its last four digits). Promtail's `replace` stage and Alloy's `stage.replace` do that natively; a
 * plain replace-all (the Collector's OTTL `replace_pattern`, Go's ReplaceAllString) replaces the
 * whole match. This rewrites a rule so that a replace-all gives the same result: the kept stretches
 * between capture groups become named groups that the replacement puts back, and the capture groups
 * themselves become non-capturing.
 */

export interface ReplaceAll {
  /** Go RE2 syntax (named groups as `(?P<name>…)`). */
  pattern: string;
  /** Go regexp template: `${name}` expands a kept stretch, `$$` is a literal `$`. */
  replacement: string;
}

type Item = { kind: "capture"; inner: string } | { kind: "other"; text: string } | { kind: "flags"; text: string };

const KEEP = "obs_keep_";

/** Why a scrub pattern cannot be rewritten (capture groups must sit at the pattern's top level), or undefined. */
export function scrubPatternProblem(pattern: string): string | undefined {
  const parsed = topLevelItems(pattern);
  return typeof parsed === "string" ? parsed : undefined;
}

export function toReplaceAll(pattern: string, replacement: string): ReplaceAll {
  const items = topLevelItems(pattern);
  if (typeof items === "string") throw new Error(`scrub pattern ${JSON.stringify(pattern)}: ${items}`);
  const literal = replacement.replaceAll("$", () => "$$");
  if (!items.some((item) => item.kind === "capture")) return { pattern, replacement: literal };

  let prefix = "";
  let out = "";
  let template = "";
  let kept = "";
  let keepIndex = 0;
  const flushKept = () => {
    if (kept === "") return;
    const name = `${KEEP}${keepIndex++}`;
    out += `(?P<${name}>${closeQuote(kept)})`;
    template += `\${${name}}`;
    kept = "";
  };
  for (const item of items) {
    if (item.kind === "flags") prefix += item.text;
    else if (item.kind === "other") kept += item.text;
    else {
      flushKept();
      out += `(?:${item.inner})`;
      template += literal;
    }
  }
  flushKept();
  return { pattern: prefix + out, replacement: template };
}

/** RE2 quotes everything after an unterminated `\Q`; inside a group that would swallow its `)`. */
function closeQuote(text: string): string {
  return text.lastIndexOf("\\Q") > text.lastIndexOf("\\E") ? `${text}\\E` : text;
}

/** Splits a pattern into its top-level items, or says why its capture groups are not all top-level. */
function topLevelItems(pattern: string): Item[] | string {
  const items: Item[] = [];
  let alternation = false;
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (char === "|") alternation = true;
    if (char === "(") {
      const end = closingParen(pattern, i);
      if (end < 0) return "unbalanced parentheses";
      const group = pattern.slice(i, end + 1);
      const quantified = /^(?:[*+?]|\{\d+(?:,\d*)?\})/.test(pattern.slice(end + 1));
      const opener = groupOpener(group);
      if (opener.capturing) {
        if (quantified) return "a capture group cannot be repeated (*, +, ?, {n}); put the repetition inside it";
        const inner = group.slice(opener.length, -1);
        if (containsCapture(inner)) return "capture groups cannot be nested";
        items.push({ kind: "capture", inner });
      } else if (opener.flagsOnly) {
        if (items.length > 0) return "inline flags such as (?i) must come first in the pattern";
        items.push({ kind: "flags", text: group });
      } else {
        if (containsCapture(group.slice(opener.length, -1))) return "capture groups must not sit inside another group";
        items.push({ kind: "other", text: group });
      }
      i = end + 1;
      continue;
    }
    const length = atomLength(pattern, i);
    items.push({ kind: "other", text: pattern.slice(i, i + length) });
    i += length;
  }
  // Without capture groups the whole match is replaced, so a top-level "|" is harmless.
  if (alternation && items.some((item) => item.kind === "capture"))
    return "a pattern with capture groups cannot use a top-level alternation (|); wrap the alternatives in (?:…)";
  return items;
}

function groupOpener(group: string): { capturing: boolean; flagsOnly: boolean; length: number } {
  const named = /^\(\?P?<[A-Za-z_]\w*>/.exec(group);
  if (named) return { capturing: true, flagsOnly: false, length: named[0].length };
  if (!group.startsWith("(?")) return { capturing: true, flagsOnly: false, length: 1 };
  const flags = /^\(\?[imsU-]+\)$/.test(group);
  const opener = /^\(\?[imsU-]*:/.exec(group);
  return { capturing: false, flagsOnly: flags, length: opener ? opener[0].length : 2 };
}

function containsCapture(text: string): boolean {
  for (let i = 0; i < text.length; i += atomLength(text, i)) {
    if (text[i] === "(" && !text.startsWith("(?", i)) return true;
    if (/^\(\?P?<[A-Za-z_]/.test(text.slice(i))) return true;
  }
  return false;
}

/** Length of the atom at `i` that is not a group start: an escape, a character class, or one character. */
function atomLength(text: string, i: number): number {
  if (text[i] === "\\") return text[i + 1] === "Q" ? quotedLength(text, i) : 2;
  if (text[i] === "[") return classLength(text, i);
  return 1;
}

function quotedLength(text: string, i: number): number {
  const end = text.indexOf("\\E", i + 2);
  return end < 0 ? text.length - i : end + 2 - i;
}

function classLength(text: string, start: number): number {
  let i = start + 1;
  if (text[i] === "^") i++;
  if (text[i] === "]") i++;
  while (i < text.length && text[i] !== "]") {
    if (text[i] === "\\") i += 2;
    else if (text.startsWith("[:", i)) {
      const end = text.indexOf(":]", i);
      i = end < 0 ? i + 1 : end + 2;
    }
    else i++;
  }
  return i + 1 - start;
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; ) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return i;
    i += text[i] === "(" || text[i] === ")" ? 1 : atomLength(text, i);
  }
  return -1;
}
