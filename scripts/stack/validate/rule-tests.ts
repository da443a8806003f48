/**
 * The on-demand files `validate` checks next to the bundle: neither is part of it, so `generate`
 * never writes them and no container mounts them.
 *
 * Rule tests: `promtool test rules` resolves each test's `../<pack>.yml` relative to the test file,
 * so they go into the bundle's rules directory (BUNDLE_PATHS.ruleTestsDir), where a validator run
 * in a container sees them too. k6 scripts: under k6/ (K6_DIR), where the k6 validators look.
 */
import { renderRuleTests, renderSyntheticsScripts, BUNDLE_PATHS } from "../bundle/bundle.ts";
import { K6_DIR } from "../render/k6.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { writeScratchFiles, type ScratchFiles } from "./scratch-files.ts";

export function writeRuleTests(bundleDir: string, model: ResolvedStack): ScratchFiles {
  return writeScratchFiles(bundleDir, BUNDLE_PATHS.ruleTestsDir, renderRuleTests(model));
}

export function writeK6Scripts(bundleDir: string, model: ResolvedStack): ScratchFiles {
  return writeScratchFiles(bundleDir, K6_DIR, renderSyntheticsScripts(model));
}
