/**
 * Programs the e2e suite runs on the host beside the stack: neither stand-in images nor validators
 * (scripts/stack/catalog/tools.ts, which `npm run tools` builds for users), so only the testbed
 * builds them, with go-build.sh from permitted modules at pinned versions.
 */
import { join } from "node:path";
import { IMAGE_PINS } from "../../scripts/stack/catalog/components.ts";
import { goBuild } from "../../scripts/go-build.ts";

export interface TestTool {
  /** go-build.sh tool name and the version passed to it. */
  build: { tool: string; version: string };
  binary: string;
}

export const TEST_TOOLS = {
  // The OTLP load client: telemetrygen from the Collector contrib, at the pinned Collector's version.
  telemetrygen: { build: { tool: "telemetrygen", version: IMAGE_PINS.otelCollector.tag }, binary: "telemetrygen" },
  // A scale-out remote-write backend (Apache-2.0) the stack's Prometheus writes to: receive + query.
  thanos: { build: { tool: "thanos", version: "v0.42.5" }, binary: "thanos" },
} as const satisfies Record<string, TestTool>;

/** The tool's binary, built first when the cache lacks it (a warm cache answers at once). */
export function testToolPath(name: keyof typeof TEST_TOOLS): string {
  const { build, binary } = TEST_TOOLS[name];
  return join(goBuild(build.tool, build.version), binary);
}
