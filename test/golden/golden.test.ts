import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLE_PATHS, renderBundle, renderRuleTests, renderSyntheticsScripts } from "../../scripts/stack/bundle/bundle.ts";
import { renderAgentBundle } from "../../scripts/stack/render/agent.ts";
import type { ResolvedStack } from "../../scripts/stack/resolve/resolve-stack.ts";
import { GOLDEN_CONFIG_NAMES, GOLDEN_DIR, loadGoldenModel } from "../helpers/golden-configs.ts";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * What is golden-tested: the bundle, the rule tests that `validate` writes next to its rules, the
 * k6 scripts that `synthetics` and `validate` render (neither is part of the bundle; each kept in
 * its own directory, at the paths they are written to), and the agents' bundles.
 */
const RENDERS = [
  { kind: "bundle", dir: "bundles", render: (model: ResolvedStack) => renderBundle(model) },
  {
    kind: "rule tests",
    dir: "rule-tests",
    render: (model: ResolvedStack) => new Map([...renderRuleTests(model)].map(([path, text]) => [relative(BUNDLE_PATHS.ruleTestsDir, path), text])),
  },
  { kind: "k6 scripts", dir: "synthetics", render: (model: ResolvedStack) => renderSyntheticsScripts(model) },
  // Each declared host's agent bundle, under its name: what `npm run agent -- --host <name>` writes.
  {
    kind: "agent bundles",
    dir: "agents",
    render: (model: ResolvedStack) =>
      new Map(model.config.hosts.flatMap((host) => [...renderAgentBundle(model, host)].map(([path, text]): [string, string] => [join(host.name, path), text]))),
  },
] as const;

describe.each(GOLDEN_CONFIG_NAMES.flatMap((name) => RENDERS.map((render) => ({ name, ...render }))))("golden $kind: $name", ({ name, dir, render }) => {
  const expectedDir = join(GOLDEN_DIR, dir, name);

  it("renders byte-for-byte what is checked in (UPDATE_GOLDEN=1 to accept a change)", async () => {
    const files = render(await loadGoldenModel(name));
    if (UPDATE) {
      rmSync(expectedDir, { recursive: true, force: true });
      for (const [path, contents] of files) {
        mkdirSync(dirname(join(expectedDir, path)), { recursive: true });
        writeFileSync(join(expectedDir, path), contents);
      }
    }
    expect([...files.keys()].sort()).toEqual(listFiles(expectedDir));
    for (const [path, contents] of files) expect(contents, path).toBe(readFileSync(join(expectedDir, path), "utf8"));
  });

  it("is deterministic: rendering twice gives the same bytes", async () => {
    const model = await loadGoldenModel(name);
    expect(render(model)).toEqual(render(model));
  });
});
