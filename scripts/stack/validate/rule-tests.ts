/**
 * The rule packs' promtool tests on disk for as long as a validation needs them. They are not in the
 * bundle, so `generate` never writes them and Prometheus never mounts them; `promtool test rules`
 * resolves each test's `../<pack>.yml` relative to the test file, so they go into the bundle's rules
 * directory (BUNDLE_PATHS.ruleTestsDir), where a validator run in a container sees them too.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUNDLE_PATHS, renderRuleTests } from "../bundle/bundle.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";

/** Containers read the files as nobody, whatever the user's umask is (as the bundle's own files). */
const READABLE = { file: 0o644, directory: 0o755 };

export interface WrittenRuleTests {
  /** Bundle-relative paths of the test files. */
  paths: string[];
  remove: () => void;
}

export function writeRuleTests(bundleDir: string, model: ResolvedStack): WrittenRuleTests {
  const dir = join(bundleDir, BUNDLE_PATHS.ruleTestsDir);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // A validation that died leaves its tests behind; tests of packs that are gone since must not run.
  remove();
  const tests = renderRuleTests(model);
  if (tests.size === 0) return { paths: [], remove };
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, READABLE.directory);
  for (const [path, contents] of tests) {
    writeFileSync(join(bundleDir, path), contents);
    chmodSync(join(bundleDir, path), READABLE.file);
  }
  return { paths: [...tests.keys()], remove };
}
