/**
 * `npm run tools`: builds the buildable validator binaries from their components' own Go modules at
 * the pinned versions (scripts/go-build.sh does the building and caching). Versions come from
 * the catalog, so a bump in one place rebuilds the matching validator. `-- --only promtool,amtool`
 * limits the set. Image-only tools (Loki, Promtail, Alloy, k6) are never built here: `npm run
 * validate` runs them from their official images where it can pull them.
 */
import { parseArgs } from "node:util";
import { BUILDABLE_TOOLS, TOOLS, isBuildable, type BuildableToolName, type ToolName } from "./stack/catalog/tools.ts";
import { goBuild } from "./go-build.ts";

const { values } = parseArgs({ options: { only: { type: "string" } } });
const requested = values.only ? values.only.split(",") : [...BUILDABLE_TOOLS];
const unknown = requested.filter((name) => !(name in TOOLS));
const imageOnly = requested.filter((name) => name in TOOLS && !isBuildable(name as ToolName));
if (unknown.length > 0 || imageOnly.length > 0) {
  if (unknown.length > 0) process.stderr.write(`unknown tool(s): ${unknown.join(", ")}\n`);
  if (imageOnly.length > 0)
    process.stderr.write(`image-only tool(s), never built here (AGPL modules): ${imageOnly.join(", ")}; \`npm run validate\` runs them from their images\n`);
  process.stderr.write(`buildable: ${BUILDABLE_TOOLS.join(", ")}\n`);
  process.exit(2);
}

const builds = new Map<string, { cacheName: string; version: string }>();
for (const name of requested as BuildableToolName[]) {
  const { build, version } = TOOLS[name];
  builds.set(`${build.cacheName}@${version}`, { cacheName: build.cacheName, version });
}

let failed = 0;
for (const { cacheName, version } of builds.values()) {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  try {
    const binDir = goBuild(cacheName, version);
    process.stdout.write(`ok   ${cacheName} ${version} (${seconds()}s) -> ${binDir}\n`);
  } catch {
    failed++;
    process.stdout.write(`FAIL ${cacheName} ${version} (${seconds()}s)\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
