import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBundle } from "../../scripts/stack/bundle/bundle.ts";
import { GOLDEN_CONFIG_NAMES, GOLDEN_DIR, loadGoldenModel } from "../helpers/golden-configs.ts";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe.each(GOLDEN_CONFIG_NAMES)("golden bundle: %s", (name) => {
  const expectedDir = join(GOLDEN_DIR, "bundles", name);

  it("renders byte-for-byte what is checked in (UPDATE_GOLDEN=1 to accept a change)", async () => {
    const bundle = renderBundle(await loadGoldenModel(name));
    if (UPDATE) {
      rmSync(expectedDir, { recursive: true, force: true });
      for (const [path, contents] of bundle) {
        mkdirSync(dirname(join(expectedDir, path)), { recursive: true });
        writeFileSync(join(expectedDir, path), contents);
      }
    }
    expect([...bundle.keys()].sort()).toEqual(listFiles(expectedDir));
    for (const [path, contents] of bundle) expect(contents, path).toBe(readFileSync(join(expectedDir, path), "utf8"));
  });

  it("is deterministic: rendering twice gives the same bytes", async () => {
    const model = await loadGoldenModel(name);
    expect(renderBundle(model)).toEqual(renderBundle(model));
  });
});
