/** The rule tests are validate's, not the bundle's: written next to the rules while validate runs, then gone. */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { BUNDLE_PATHS, renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { writeRuleTests } from "../../../scripts/stack/validate/rule-tests.ts";
import { writeBundle } from "../../../scripts/stack/write/bundle-writer.ts";
import { loadGoldenModel } from "../../helpers/golden-configs.ts";
import { tempProject } from "../../helpers/temp-project.ts";

describe("rule tests", async () => {
  const model = await loadGoldenModel("default");
  const bundle = renderBundle(model);

  it("are not in the bundle, so Prometheus never mounts them", () => {
    expect([...bundle.keys()].filter((path) => path.includes(".test."))).toEqual([]);
  });

  it("are written next to the rules, each naming rule files of the bundle, readable by any user, and removed after", () => {
    const outDir = join(tempProject({}), ".stack");
    writeBundle(outDir, bundle);
    const written = writeRuleTests(outDir, model);
    expect(written.paths.length).toBeGreaterThan(0);
    for (const path of written.paths) {
      expect(dirname(path)).toBe(BUNDLE_PATHS.ruleTestsDir);
      expect(statSync(join(outDir, path)).mode & 0o777).toBe(0o644);
      const ruleFiles = (parse(readFileSync(join(outDir, path), "utf8")) as { rule_files: string[] }).rule_files;
      // promtool resolves them relative to the test file.
      for (const ruleFile of ruleFiles) expect(bundle.has(normalize(join(dirname(path), ruleFile))), `${path}: ${ruleFile}`).toBe(true);
    }
    expect(statSync(join(outDir, BUNDLE_PATHS.ruleTestsDir)).mode & 0o777).toBe(0o755);
    written.remove();
    expect(existsSync(join(outDir, BUNDLE_PATHS.ruleTestsDir))).toBe(false);
  });

  it("left behind by a validation that died are replaced, not run again", () => {
    const outDir = join(tempProject({}), ".stack");
    writeBundle(outDir, bundle);
    const stale = join(outDir, BUNDLE_PATHS.ruleTestsDir, "gone.test.yml");
    mkdirSync(dirname(stale), { recursive: true });
    writeFileSync(stale, "rule_files: [../gone.yml]\n");
    writeRuleTests(outDir, model);
    expect(existsSync(stale)).toBe(false);
  });
});
