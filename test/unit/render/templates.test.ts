/**
 * The one escaping path: every value enters a template through a helper built on the `yaml`
 * library's serializer (or JSON for Alloy and scripts), proven here against line breaks, control
 * characters, quotes, YAML syntax and Compose's `$`; and no template splices a value raw.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alloyString, commentText, REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { yamlQuoted, yamlScalar } from "../../../scripts/stack/render/yaml-text.ts";

const TRICKY = [
  "",
  " ",
  " leading and trailing ",
  "line\nbreak",
  "crlf\r\nline",
  "trailing newline\n",
  "space before newline \nx",
  "tab\there",
  '"double" and \'single\' quotes',
  "back\\slash \\n \\\\",
  "key: value",
  "- item",
  "# comment",
  "a #comment",
  "[flow, seq]",
  "{flow: map}",
  "&anchor *alias !tag",
  "%YAML 1.1",
  "---",
  "...",
  "yes",
  "no",
  "on",
  "null",
  "~",
  "0x10",
  "1e3",
  "2001-12-14",
  "$HOME ${HOME} $$ $__file{/run/secrets/x}",
  "{{ .Value }}",
  "é 日本語 🙂 \u00a0 \ufeff \u202e",
  "x".repeat(500),
];

describe("YAML scalars", () => {
  it.for(TRICKY)("q reads back as %j, on one line, in YAML 1.2 and 1.1", (value) => {
    const quoted = yamlQuoted(value);
    expect(quoted).not.toMatch(/[\n\r]/);
    expect(parse(`key: ${quoted}`)).toEqual({ key: value });
    expect(parse(`key: ${quoted}`, { version: "1.1" })).toEqual({ key: value });
    expect(parse(`list: [${quoted}, ${quoted}]`)).toEqual({ list: [value, value] });
  });

  it.for(TRICKY.filter((value) => !/[\n\r\t]/.test(value)))("v reads back as %j in a block and a flow sequence, in YAML 1.2 and 1.1", (value) => {
    const scalar = yamlScalar(value);
    for (const version of ["1.1", "1.2"] as const) {
      expect(parse(`key: ${scalar}`, { version })).toEqual({ key: value });
      expect(parse(`list: [${scalar}, x]`, { version })).toEqual({ list: [value, "x"] });
      expect(parse(`${scalar}: x`, { version })).toEqual({ [value]: "x" });
    }
  });

  it("is the same as JSON for the plain values of the golden bundles, and plain where that is safe", () => {
    expect(yamlQuoted("obs-prometheus:9090")).toBe('"obs-prometheus:9090"');
    expect([5, true, null].map(yamlQuoted)).toEqual(["5", "true", "null"]);
    expect(["15s", "obs-prometheus", "http://alertmanager:9093", "__meta_docker_container_label_io_obs_stack_service", 12, false].map(yamlScalar)).toEqual([
      "15s",
      "obs-prometheus",
      "http://alertmanager:9093",
      "__meta_docker_container_label_io_obs_stack_service",
      "12",
      "false",
    ]);
    expect(["yes", "a,b", "1e3", ""].map(yamlScalar)).toEqual(['"yes"', '"a,b"', '"1e3"', '""']);
  });

  it.for(["\u0007", "\u007f", "\u0085", "\u2028", "\ufffe", "\ud800"])("throws for %j: a gap in the schema is an internal error, never a broken file", (char) => {
    expect(() => yamlQuoted(`a${char}`)).toThrow(/the config schema must refuse it/);
    expect(() => yamlScalar(`a${char}`)).toThrow(/the config schema must refuse it/);
    expect(() => alloyString(`a${char}`)).toThrow(/the config schema must refuse it/);
  });
});

describe("comments and Alloy strings", () => {
  it("a comment is one line, or nothing", () => {
    expect(commentText("category security: team-a")).toBe("category security: team-a");
    expect(() => commentText("team\n- receiver: evil")).toThrow(/line break/);
  });

  it("an Alloy string is a JSON string", () => {
    expect(alloyString('pa"ss\\word\n$HOME')).toBe('"pa\\"ss\\\\word\\n$HOME"');
  });
});

/** Raw splices that hold the stack's own constants, not config values. */
const RAW_CONSTANTS = [
  "provisioning/otelcol/config.yaml.hbs: {{healthPort}}",
  "provisioning/otelcol/config.yaml.hbs: {{fluentPort}}",
  "provisioning/otelcol/log-processors.yaml.hbs: {{this}}",
  "provisioning/otelcol/sending-queue.yaml.hbs: {{consumers}}",
  "provisioning/otelcol/agent.yaml.hbs: {{healthPort}}",
  "provisioning/otelcol/agent.yaml.hbs: {{fluentPort}}",
  "provisioning/otelcol/agent.yaml.hbs: {{selfMetricsPort}}",
  // Names of the pipeline's processors, fixed strings of the templates.
  "provisioning/otelcol/log-chain.yaml.hbs: {{parse}}",
  // Inside a JavaScript template literal; the service name is a slug.
  "k6/service.ts.hbs: {{service}}",
];

describe("templates", () => {
  it("splice nothing raw: every value goes through q, v, comment, alloy or json", () => {
    const raw: string[] = [];
    for (const dir of ["compose", "provisioning", "k6"])
      for (const entry of readdirSync(join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith(".hbs")) continue;
        const file = relative(REPO_ROOT, join(entry.parentPath, entry.name));
        const text = readFileSync(join(REPO_ROOT, file), "utf8");
        // `\{{` is a literal Go template in the output; block helpers, partials and helpers are fine.
        for (const [expression] of text.matchAll(/(?<![\\{])\{\{(?![#/>!@]|else|q |v |comment |alloy |\{json )[^}]*\}\}/g)) raw.push(`${file}: ${expression}`);
      }
    expect([...new Set(raw)].sort()).toEqual([...RAW_CONSTANTS].sort());
  });
});
