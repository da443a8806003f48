/**
 * Grafana's template variables in a dashboard query, replaced by sample values of the kind the
 * query needs at that spot, so that the datasource's own parser can check the query offline.
 */

export interface TemplateVariable {
  name?: string;
  type?: string;
  query?: unknown;
}

/** Grafana's own variable syntax: `$name`, `[[name]]`, `[[name:format]]`, `${name}`, `${name.path:format}`. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::\w+)?\]\]|\$\{(\w+)(?:\.[^:^}]+)?(?::[^}]+)?\}/y;

/** Global variables Grafana fills in for every query, with values of the right kind. */
const BUILTIN_SAMPLES: ReadonlyMap<string, string> = new Map([
  ["__interval", "5m"],
  ["__rate_interval", "5m"],
  ["__range", "5m"],
  ["__auto", "5m"],
  ["__interval_ms", "300000"],
  ["__rate_interval_ms", "300000"],
  ["__range_ms", "300000"],
  ["__range_s", "300"],
  ["__from", "1700000000000"],
  ["__to", "1700000000000"],
]);

/** Where in the query a variable stands decides which sample keeps it valid. */
type VariableContext = "regex-string" | "string" | "duration" | "bare";

const CONTEXT_SAMPLES: Readonly<Record<VariableContext, string>> = {
  // Matches any non-empty value: Loki rejects selectors whose matchers all accept "".
  "regex-string": ".+",
  string: "sample",
  duration: "5m",
  // A label name (`by ($label)`) or a metric name.
  bare: "sample",
};

/**
 * The dashboard's variables, each with the value Grafana would use when the dashboard declares one
 * (constant, textbox, custom and interval variables), else undefined (query variables: the value
 * comes from the datasource, so the context decides).
 */
export function declaredVariables(list: readonly TemplateVariable[]): Map<string, string | undefined> {
  const variables = new Map<string, string | undefined>();
  for (const variable of list) {
    if (!variable.name) continue;
    variables.set(variable.name, declaredValue(variable));
  }
  return variables;
}

function declaredValue(variable: TemplateVariable): string | undefined {
  const query = typeof variable.query === "string" ? variable.query.trim() : "";
  if (query === "") return undefined;
  switch (variable.type) {
    case "constant":
    case "textbox":
      return query;
    case "interval":
      return query.split(",").map((option) => option.trim()).find((option) => option !== "" && option !== "auto");
    case "custom": {
      // Options are "a, b" or "text : value, …".
      const first = query.split(",")[0]!;
      return first.includes(" : ") ? first.slice(first.indexOf(" : ") + 3).trim() : first.trim();
    }
    default:
      return undefined;
  }
}

/**
 * Replaces the built-in and declared variables like Grafana does before it sends the query; any
 * other `$word` (e.g. `$1` in label_replace) is left alone, as Grafana leaves it.
 */
export function substituteVariables(expr: string, variables: ReadonlyMap<string, string | undefined>): string {
  let out = "";
  let quote: string | undefined;
  let regexString = false;
  let bracketDepth = 0;
  for (let i = 0; i < expr.length; ) {
    VARIABLE.lastIndex = i;
    const match = VARIABLE.exec(expr);
    const name = match ? (match[1] ?? match[2] ?? match[3])! : undefined;
    if (match && name !== undefined && (BUILTIN_SAMPLES.has(name) || variables.has(name))) {
      const context: VariableContext = quote
        ? regexString
          ? "regex-string"
          : "string"
        : bracketDepth > 0 || /\boffset\s*$/.test(expr.slice(0, i))
          ? "duration"
          : "bare";
      const sample = BUILTIN_SAMPLES.get(name) ?? variables.get(name) ?? CONTEXT_SAMPLES[context];
      out += quote ? escapeForString(sample, quote) : sample;
      i += match[0].length;
      continue;
    }
    const char = expr[i]!;
    if (quote) {
      if (char === "\\" && quote !== "`") {
        out += expr.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'" || char === "`") {
      quote = char;
      // Label matchers =~ !~ and LogQL's regex line filters |~ !~ take a regular expression.
      regexString = /(=~|!~|\|~)\s*$/.test(expr.slice(0, i));
    } else if (char === "[") bracketDepth++;
    else if (char === "]") bracketDepth = Math.max(0, bracketDepth - 1);
    out += char;
    i++;
  }
  return out;
}

function escapeForString(value: string, quote: string): string {
  return quote === "`" ? value : value.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`);
}

