/**
 * `npm run tools`: builds every validator binary from its component's own Go module at the pinned
 * version (test/testbed/go-build.sh does the building and caching). Versions come from the catalog,
 * so a bump in one place rebuilds the matching validator. `-- --only promtool,amtool` limits the set.
 */
import { parseArgs } from "node:util";
import { TOOLS, type ToolName } from "./stack/catalog/tools.ts";
import { goBuild } from "../test/testbed/go-build.ts";

const { values } = parseArgs({ options: { only: { type: "string" } } });
const wanted = values.only ? (values.only.split(",") as ToolName[]) : (Object.keys(TOOLS) as ToolName[]);
const unknown = wanted.filter((name) => !(name in TOOLS));
if (unknown.length > 0) {
  process.stderr.write(`unknown tool(s): ${unknown.join(", ")}; known: ${Object.keys(TOOLS).join(", ")}\n`);
  process.exit(2);
}

const builds = new Map<string, { cacheName: string; version: string }>();
for (const name of wanted) {
  const { cacheName, version } = TOOLS[name];
  builds.set(`${cacheName}@${version}`, { cacheName, version });
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
