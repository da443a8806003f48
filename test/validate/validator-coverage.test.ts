/**
 * No generated file goes unchecked: every file of every golden bundle, and every rule test and k6
 * script that `validate` writes next to it, is the input of a validator, or is checked through another file
 * whose validator reads it (listed here with how). A component added with a config file and no
 * validator fails this test.
 */
import { describe, expect, it } from "vitest";
import { renderBundle, renderRuleTests, renderSyntheticsScripts } from "../../scripts/stack/bundle/bundle.ts";
import { VALIDATORS } from "../../scripts/stack/validate/validators.ts";
import { GOLDEN_CONFIG_NAMES, loadGoldenModel } from "../helpers/golden-configs.ts";

const CHECKED_THROUGH_ANOTHER_FILE: ReadonlyArray<{ files: RegExp; how: string }> = [
  { files: /^plan\.json$/, how: "read by the bootstrapper only, whose reader checks its shape (runtime/plan.ts)" },
  { files: /^alertmanager\/templates\/[^/]+\.tmpl$/, how: "loaded and parsed by `amtool check-config` through alertmanager.yml's templates" },
  { files: /^grafana\/dashboards\/[^/]+\.json$/, how: "every query parsed by promtool or the LogQL checker (`npm run validate`), the JSON by the dashboard schema tests" },
  { files: /^k6\/lib\/[^/]+\.ts$/, how: "compiled by `k6 inspect` and the type check with the scripts that import it" },
];

describe("validator coverage", () => {
  it.each(GOLDEN_CONFIG_NAMES)("every file of the %s bundle, and every rule test and k6 script validate writes next to it, is checked", async (name) => {
    const model = await loadGoldenModel(name);
    const paths = [...renderBundle(model).keys(), ...renderRuleTests(model).keys(), ...renderSyntheticsScripts(model).keys()];
    const validated = new Set(VALIDATORS.flatMap((validator) => validator.files(paths)));
    const unchecked = paths.filter((path) => !validated.has(path) && !CHECKED_THROUGH_ANOTHER_FILE.some(({ files }) => files.test(path)));
    expect(unchecked).toEqual([]);
  });
});
