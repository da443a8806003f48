/**
 * The catalog is the one tool list: every tool a validator (scripts/stack/catalog/tools.ts), a
 * stand-in image (test/testbed/stand-ins.ts) or the e2e suite (test/testbed/test-tools.ts) has
 * go-build.sh build has a builder file in scripts/go-build/tools/, every builder file is used by one
 * of them, and go-build.sh knows exactly the tools of that directory.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { forbiddenModuleIn } from "../../../scripts/stack/catalog/forbidden-modules.ts";
import { TOOLS } from "../../../scripts/stack/catalog/tools.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { STAND_INS } from "../../testbed/stand-ins.ts";
import { TEST_TOOLS } from "../../testbed/test-tools.ts";

const GO_BUILD_DIR = join(REPO_ROOT, "scripts", "go-build");
const BUILDERS = readdirSync(join(GO_BUILD_DIR, "tools"))
  .filter((file) => file.endsWith(".sh"))
  .map((file) => file.slice(0, -".sh".length));
const VALIDATOR_TOOLS = Object.values(TOOLS).flatMap((tool) => (tool.build ? [tool.build.cacheName] : []));
const STAND_IN_TOOLS = STAND_INS.map((standIn) => standIn.build.tool);
const E2E_TOOLS = Object.values(TEST_TOOLS).map((tool) => tool.build.tool);

describe("go-build.sh's tools are the catalog's", () => {
  it("every validator the catalog builds has a builder file", () => {
    expect(VALIDATOR_TOOLS.filter((tool) => !BUILDERS.includes(tool))).toEqual([]);
  });

  it("every stand-in image's tool has a builder file", () => {
    expect(STAND_IN_TOOLS.filter((tool) => !BUILDERS.includes(tool))).toEqual([]);
  });

  it("every tool the e2e suite runs has a builder file", () => {
    expect(E2E_TOOLS.filter((tool) => !BUILDERS.includes(tool))).toEqual([]);
  });

  it("every builder file is used by a validator, a stand-in or the e2e suite", () => {
    const used = new Set([...VALIDATOR_TOOLS, ...STAND_IN_TOOLS, ...E2E_TOOLS]);
    expect(BUILDERS.filter((builder) => !used.has(builder))).toEqual([]);
  });

  it("go-build.sh lists exactly the builder files when the tool is unknown", () => {
    // Arguments are checked before the cache or Go is touched: this runs nothing else.
    const run = spawnSync("bash", [join(REPO_ROOT, "scripts", "go-build.sh"), "nope", "v1.0.0"], { encoding: "utf8" });
    expect(run.status).toBe(1);
    const listed = /unknown tool 'nope'; tools: (.*)/.exec(run.stderr)?.[1]?.split(" ");
    expect(listed?.sort()).toEqual([...BUILDERS].sort());
  });

  it("no file of the builder names a forbidden module", () => {
    const files = readdirSync(GO_BUILD_DIR, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    const named = files.flatMap((entry) => {
      const path = join(entry.parentPath, entry.name);
      const module = forbiddenModuleIn(readFileSync(path, "utf8"));
      return module ? [`${relative(REPO_ROOT, path)}: ${module.path}`] : [];
    });
    expect(files.length).toBeGreaterThan(BUILDERS.length);
    expect(named).toEqual([]);
  });
});
