/**
 * What must hold for every bundle the stack renders, whatever the config said: each YAML file
 * parses, no file carries a character its readers refuse or read as a line break, compose.yaml has
 * no `$` that Compose would interpolate, Alloy's config parses; and the structure of each file (its
 * maps and lists, not its values), for comparing a bundle with the one of an unmutated config.
 */
import { parseDocument } from "yaml";
import type { Bundle } from "../../scripts/stack/bundle/bundle.ts";
import { forbiddenCharacter } from "../../scripts/stack/syntax/text.ts";
import { parseAlloy, type AlloyStatement } from "../../scripts/stack/validate/models/alloy-syntax.ts";

const isYaml = (path: string) => /\.ya?ml$/.test(path);

/** The broken invariants, one line each; empty when the bundle is sound. */
export function bundleProblems(bundle: Bundle, secretEnvNames: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [path, text] of bundle) {
    const found = forbiddenCharacter(text, "block");
    if (found) problems.push(`${path}: contains ${found.description} at ${found.index}`);
    if (isYaml(path)) {
      const document = parseDocument(text, { prettyErrors: false });
      for (const error of document.errors) problems.push(`${path}: YAML error: ${error.message.split("\n")[0]}`);
    }
    if (path.endsWith(".alloy")) {
      const parsed = parseAlloy(text);
      if ("problem" in parsed) problems.push(`${path}: Alloy syntax: ${parsed.problem.message}`);
    }
  }
  const compose = bundle.get("compose.yaml") ?? "";
  const interpolation = new RegExp(`\\$(?!\\{(?:${secretEnvNames.join("|") || "(?!)"}):-\\})`);
  const stray = interpolation.exec(compose.replaceAll("$$", ""));
  if (stray) problems.push(`compose.yaml: Compose would interpolate ${JSON.stringify(compose.replaceAll("$$", "").slice(stray.index, stray.index + 30))}`);
  return problems;
}

/**
 * Per file, a signature of its structure that ignores values and key names: a change in the number
 * of keys, entries or nesting anywhere (an injected route, label or key) changes it.
 */
export function bundleShape(bundle: Bundle): Map<string, string> {
  const shapes = new Map<string, string>();
  for (const [path, text] of bundle) {
    if (isYaml(path)) shapes.set(path, shapeOf(parseDocument(text).toJS()));
    else if (path.endsWith(".alloy")) {
      const parsed = parseAlloy(text);
      shapes.set(path, "statements" in parsed ? alloyShape(parsed.statements) : "unparsable");
    } else if (path.endsWith(".tmpl")) shapes.set(path, `${text.split("{{").length} actions`);
    else shapes.set(path, `${text.split("\n").length} lines`);
  }
  return shapes;
}

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(shapeOf).join(",")}]`;
  if (typeof value === "object" && value !== null) return `{${Object.values(value).map(shapeOf).sort().join(",")}}`;
  return "s";
}

function alloyShape(statements: readonly AlloyStatement[]): string {
  return `{${statements.map((statement) => (statement.kind === "block" ? `${statement.name}${alloyShape(statement.body)}` : statement.name)).join(",")}}`;
}
