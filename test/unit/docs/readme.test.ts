import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_SECTIONS, currentSection } from "../../../scripts/stack/docs/readme-sections.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";

const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");

describe("README", () => {
  it.for(GENERATED_SECTIONS)("generated section $start is in sync with the code (run `npm run docs`)", (section) => {
    expect(currentSection(readme, section)).toBe(section.render());
  });

  it("documents the test command and the quick start first", () => {
    const quickStart = readme.indexOf("## Quick start");
    expect(quickStart).toBeGreaterThan(-1);
    expect(quickStart).toBeLessThan(readme.indexOf("## Requirements"));
    expect(readme).toContain("npm test");
  });
});
