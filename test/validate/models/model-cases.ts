/** Shared by the typed-model tests: golden bundles' files, and tables of mistakes a model must reject. */
import { expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { StackModel } from "../../../scripts/stack/config/model.ts";
import { renderBundle, renderSyntheticsScripts } from "../../../scripts/stack/bundle/bundle.ts";
import { formatFinding, type ModelFinding } from "../../../scripts/stack/validate/models/findings.ts";
import { GOLDEN_CONFIG_NAMES, loadGoldenModel, type GoldenConfigName } from "../../helpers/golden-configs.ts";

export interface GoldenFile {
  config: GoldenConfigName;
  file: string;
  text: string;
}

/** Every file of every golden bundle, and its k6 scripts (rendered on demand), that `select` picks, rendered from the golden configs. */
export async function goldenFiles(select: (path: string) => boolean): Promise<GoldenFile[]> {
  const files: GoldenFile[] = [];
  for (const config of GOLDEN_CONFIG_NAMES) {
    const model = await loadGoldenModel(config);
    for (const [file, text] of [...renderBundle(model), ...renderSyntheticsScripts(model)]) if (select(file)) files.push({ config, file, text });
  }
  return files;
}

/**
 * What a log collector's `render` makes of every golden config that has somewhere to ship logs,
 * whether or not the config picks that collector: collectors are exclusive, so this is how each one's
 * config meets every pipeline variant (drops, scrubs, logfmt services, categories).
 */
export async function collectorConfigForEveryGolden(render: (model: StackModel) => string): Promise<GoldenFile[]> {
  const files: GoldenFile[] = [];
  for (const config of GOLDEN_CONFIG_NAMES) {
    const model = await loadGoldenModel(config);
    if (model.logDestination !== null) files.push({ config, file: "(rendered directly)", text: render(model) });
  }
  return files;
}

export interface Mistake {
  /** What the mistake is, as a test name. */
  name: string;
  breakIt: (text: string) => string;
  /** A finding must name this field (a substring of its path)… */
  field: string;
  /** …and say this (a substring or pattern of its message). */
  message: string | RegExp;
}

/** One test per mistake: the model must report it, naming the field. */
export function rejectsEach(check: (text: string) => ModelFinding[], original: () => string, mistakes: readonly Mistake[]): void {
  it.each(mistakes)("rejects: $name", ({ breakIt, field, message }) => {
    const text = original();
    const broken = breakIt(text);
    expect(broken, "the mistake must change the file").not.toBe(text);
    const findings = check(broken);
    const named = findings.filter((item) => item.path.includes(field));
    expect(named.map(formatFinding), `findings: ${findings.map(formatFinding).join(" | ") || "(none)"}`).not.toEqual([]);
    expect(named.some((item) => (typeof message === "string" ? item.message.includes(message) : message.test(item.message)))).toBe(true);
  });
}

/** A mistake made on the parsed YAML document, for YAML formats: robust to layout changes in the template. */
export function editYaml(edit: (document: Record<string, any>) => void): (text: string) => string {
  return (text) => {
    const document = parseYaml(text) as Record<string, any>;
    edit(document);
    return stringifyYaml(document);
  };
}
