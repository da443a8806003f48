import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUNDLE_PATHS, renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { buildPlan } from "../../../scripts/stack/render/plan.ts";
import { readPlan } from "../../../scripts/stack/runtime/plan.ts";
import { StackError } from "../../../scripts/stack/errors.ts";
import { modelOf } from "../../helpers/parse.ts";

describe("reading a bundle's plan.json", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "obs-plan-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("returns the plan the render wrote", () => {
    const model = modelOf({ demo: { enabled: true } });
    writeFileSync(join(dir, BUNDLE_PATHS.plan), renderBundle(model).get(BUNDLE_PATHS.plan)!);
    expect(readPlan(dir)).toEqual(buildPlan(model));
  });

  it.each([
    ["missing", null],
    ["not JSON", "{ services: ["],
    ["not a plan", JSON.stringify({ services: {} })],
    ["from a version without configs", JSON.stringify({ project: "obs", services: [{ name: "prometheus", component: "prometheus" }] })],
  ])("tells the user to regenerate when it is %s", (_case, contents) => {
    if (contents !== null) writeFileSync(join(dir, BUNDLE_PATHS.plan), contents);
    expect(() => readPlan(dir)).toThrow(StackError);
    expect(() => readPlan(dir)).toThrow(expect.objectContaining({ code: "USAGE", message: `no plan in ${dir}`, hint: "run `npm run generate`" }));
  });
});
