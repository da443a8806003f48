/**
 * Property test: valid configs, mutated at random (seeded, so every run sees the same cases), either
 * fail with a ConfigError or render a bundle that is sound (bundle-invariants.ts). Where the only
 * change was a string's text, the bundle must also keep the structure of the unmutated config's
 * bundle: a value can change values, never add keys, routes, jobs or lines.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBundle, type Bundle } from "../../../scripts/stack/bundle/bundle.ts";
import { importConfigModule } from "../../../scripts/stack/config/import-config.ts";
import { ConfigError } from "../../../scripts/stack/errors.ts";
import { parseStack } from "../../../scripts/stack/resolve/load.ts";
import { quoteForMessage } from "../../../scripts/stack/syntax/message-values.ts";
import { exposureCredentialEnv } from "../../../scripts/stack/render/exposure.ts";
import { bundleProblems, bundleShape } from "../../helpers/bundle-invariants.ts";
import { mutate, type Mutation } from "../../helpers/config-mutations.ts";
import { FAKE_SECRET_ENV, GOLDEN_DIR, type GoldenConfigName } from "../../helpers/golden-configs.ts";
import { seededRandom } from "../../helpers/seeded-random.ts";

const SEED = 0x0b5_57ac;
const CASES = 300;
/** Mostly one mutation, so that a fair share of configs is accepted and rendered. */
const MUTATION_COUNTS = [1, 1, 1, 2, 3];
/** The golden configs with the most free text, between them every file format the stack writes. */
const BASES: readonly GoldenConfigName[] = ["everything", "alloy", "promtail"];

function parse(raw: unknown) {
  return parseStack(raw, { configFile: "mutated.config.ts", env: FAKE_SECRET_ENV, mode: "generate" }).model;
}

describe("mutated configs", () => {
  it(`${CASES} seeded mutations: only ConfigErrors, and every accepted config renders a sound bundle of the same structure`, async () => {
    const bases = await Promise.all(
      BASES.map(async (name) => {
        const raw = (await importConfigModule(join(GOLDEN_DIR, "configs", `${name}.ts`))) as Record<string, unknown>;
        return { name, raw, shape: bundleShape(renderBundle(parse(raw))) };
      }),
    );
    const random = seededRandom(SEED);
    const failures: string[] = [];
    let accepted = 0;
    for (let run = 0; run < CASES; run++) {
      const base = random.pick(bases);
      const config = structuredClone(base.raw);
      const mutations: Mutation[] = Array.from({ length: random.pick(MUTATION_COUNTS) }, () => mutate(config, random));
      const label = `case ${run} (${base.name}): ${mutations.map((mutation) => mutation.description).join("; ")}`;
      let bundle: Bundle;
      let secretEnvNames: string[];
      try {
        const model = parse(config);
        secretEnvNames = [...model.secrets.map((secret) => secret.env), ...exposureCredentialEnv(model)];
        bundle = renderBundle(model);
      } catch (error) {
        if (!(error instanceof ConfigError)) failures.push(`${label}\n  internal error: ${quoteForMessage(String(error), 200)} at ${(error as Error).stack?.split("\n")[1]?.trim()}`);
        continue;
      }
      accepted++;
      failures.push(...bundleProblems(bundle, secretEnvNames).map((problem) => `${label}\n  ${problem}`));
      if (!mutations.every((mutation) => mutation.textOnly)) continue;
      const shape = bundleShape(bundle);
      for (const [path, expected] of base.shape)
        if (shape.has(path) && shape.get(path) !== expected) failures.push(`${label}\n  ${path} changed structure`);
    }
    expect(failures).toEqual([]);
    // The test means little if nearly every mutation is refused before anything is rendered.
    expect(accepted).toBeGreaterThan(CASES / 5);
  });
});
