/**
 * The registry's definitions against what the rest of the repo holds: every file a bundle
 * generates reaches a container through a declared mount (else `up` would never apply its
 * changes), mounts do not overlap, and every rule pack a component names exists with its tests.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { COMPONENT_NAMES, COMPONENTS, definitionOf, type ComponentName } from "../../../scripts/stack/catalog/components.ts";
import { stackConfigSchema } from "../../../scripts/stack/config/schema.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";

const BUNDLES_DIR = join(REPO_ROOT, "test", "golden", "bundles");
/** Read by the bootstrapper and the k6 runner, never mounted into a stack component. */
const NOT_MOUNTED = /^(compose\.yaml|plan\.json|k6\/.*)$/;

const mounts = COMPONENT_NAMES.flatMap((name) => COMPONENTS[name].configMounts.map((mount) => ({ name, dir: mount.dir })));
const owner = (file: string) => mounts.find((mount) => file.startsWith(`${mount.dir}/`));

function bundleFiles(bundle: string): string[] {
  const root = join(BUNDLES_DIR, bundle);
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

describe("component registry", () => {
  it.each(readdirSync(BUNDLES_DIR))("golden bundle %s: every file is mounted by a component that runs", (bundle) => {
    const running = new Set(
      (JSON.parse(readFileSync(join(BUNDLES_DIR, bundle, "plan.json"), "utf8")) as { services: Array<{ component: ComponentName | null }> }).services.map(
        (service) => service.component,
      ),
    );
    const strays = bundleFiles(bundle).filter((file) => !NOT_MOUNTED.test(file) && !running.has(owner(file)?.name ?? null));
    expect(strays).toEqual([]);
  });

  it("no two mounts share or nest a directory", () => {
    for (const a of mounts)
      for (const b of mounts) if (a !== b) expect(`${a.dir}/`.startsWith(`${b.dir}/`), `${a.name}:${a.dir} inside ${b.name}:${b.dir}`).toBe(false);
  });

  it("every rule pack a component names exists in rules/ with its promtool tests", () => {
    const packs = COMPONENT_NAMES.flatMap((name) => COMPONENTS[name].rulePacks);
    expect(new Set(packs).size).toBe(packs.length);
    for (const pack of packs) {
      expect(existsSync(join(REPO_ROOT, "rules", `${pack}.yml`)), pack).toBe(true);
      expect(existsSync(join(REPO_ROOT, "rules", "tests", `${pack}.test.yml`)), pack).toBe(true);
    }
  });

  it("every extra port is set by a port field of the component's own settings", () => {
    const defaults = stackConfigSchema.parse({}).components as Record<ComponentName, Record<string, unknown>>;
    for (const name of COMPONENT_NAMES)
      for (const extra of definitionOf(name).extraPorts) {
        expect(Object.keys(COMPONENTS[name].settings), `${name}.${extra.setting}`).toContain(extra.setting);
        expect(defaults[name][extra.setting], `${name}.${extra.setting}`).toEqual(expect.any(Number));
      }
  });

  it("service names and main ports are unique", () => {
    const services = COMPONENT_NAMES.map((name) => COMPONENTS[name].service);
    expect(new Set(services).size).toBe(services.length);
    const ports = COMPONENT_NAMES.map((name) => COMPONENTS[name].port);
    expect(new Set(ports).size).toBe(ports.length);
  });
});
