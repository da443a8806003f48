/**
 * Imports run one way: catalog/logs/syntax ← config ← resolve ←
 * render/dashboards/synthetics ← bundle ← runtime/write ← validate/checks ← commands. This reads
 * every import of the bootstrapper and the dashboards and fails on an arrow back up or across
 * sibling folders, unless KNOWN_ARROWS lists it (a listed arrow that is gone fails too, so the list
 * stays true).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";

/** Lower layers first; modules in one layer may import each other only inside their own folder. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ["catalog", "errors", "output", "table", "demo", "logs", "syntax", "value-types"],
  ["config"],
  ["resolve"],
  ["render", "dashboards", "synthetics"],
  ["bundle"],
  ["runtime", "write"],
  ["validate", "checks"],
  ["commands", "args", "help", "cli", "index", "docs"],
];

/** Arrows that break the rule (importer → imported file): none. An entry here needs an issue that removes it. */
const KNOWN_ARROWS: readonly string[] = [];

/** The folder (or top-level module) a repo path belongs to, in the terms of LAYERS. */
function unitOf(path: string): string {
  if (path.startsWith("dashboards/")) return "dashboards";
  if (path.startsWith("demo/")) return "demo";
  const inside = relative("scripts/stack", path).split("/");
  return inside.length > 1 ? inside[0]! : inside[0]!.replace(/\.ts$/, "");
}

function layerOf(unit: string): number {
  const index = LAYERS.findIndex((layer) => layer.includes(unit));
  if (index < 0) throw new Error(`${unit} is in no layer: add it to LAYERS`);
  return index;
}

function sources(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)));
}

function arrows(): string[] {
  const found: string[] = [];
  for (const file of [...sources("scripts/stack"), ...sources("dashboards")]) {
    const text = readFileSync(join(REPO_ROOT, file), "utf8");
    // Static imports and re-exports, and dynamic `import("./…")` (the command registry loads commands on demand).
    for (const match of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom "(\.[^"]+)";|\bimport\("(\.[^"]+)"\)/gms)) {
      const target = normalize(join(dirname(file), (match[1] ?? match[2])!));
      if (!/^(scripts\/stack|dashboards|demo)\//.test(target)) continue;
      const [from, to] = [unitOf(file), unitOf(target)];
      if (from === to) continue;
      const [fromLayer, toLayer] = [layerOf(from), layerOf(to)];
      const upward = toLayer > fromLayer;
      const sideways = toLayer === fromLayer && fromLayer !== 0 && fromLayer !== LAYERS.length - 1;
      if (upward || sideways) found.push(`${file} → ${target}`);
    }
  }
  return [...new Set(found)].sort();
}

describe("import layering", () => {
  it("no import points up a layer or across sibling folders, beyond the known arrows", () => {
    expect(arrows()).toEqual([...KNOWN_ARROWS].sort());
  });

  it("knows the layer of every folder", () => {
    const units = new Set([...sources("scripts/stack"), ...sources("dashboards")].map(unitOf));
    for (const unit of units) expect(() => layerOf(unit), unit).not.toThrow();
  });
});
