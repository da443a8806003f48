/**
 * `npm run testbed`: a Docker engine, stand-in images for every component we may build (from the
 * components' own Go modules at the pinned versions), the config overlay that points `images` at
 * them, and the real PostgreSQL and Redis peers. Warm runs reuse cached binaries and unchanged
 * images. With E2E_IMAGES=official (a machine that can pull) only the peers are set up.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { TOOLS } from "../../scripts/stack/catalog/tools.ts";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { IMAGE_SET, OVERLAY_FILE } from "../e2e/helpers.ts";
import { buildStandIn } from "./build-images.ts";
import { buildDemoImage } from "./demo-image.ts";
import { goBuild } from "../../scripts/go-build.ts";
import { NOT_BUILT, STAND_INS, standInTag } from "./stand-ins.ts";
import { TEST_TOOLS, testToolPath } from "./test-tools.ts";


function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed with exit ${result.status}`);
  return result.stdout;
}

async function main(): Promise<void> {
  const started = Date.now();
  if (IMAGE_SET === "official") {
    run("bash", [join(REPO_ROOT, "test", "testbed", "peers.sh")]);
    process.stdout.write("official images: no stand-ins built; the engine pulls the pinned images\n");
    return;
  }
  run("bash", [join(REPO_ROOT, "test", "testbed", "host-setup.sh")]);
  run("bash", [join(REPO_ROOT, "test", "testbed", "peers.sh")]);
  goBuild(TOOLS.compose.build.cacheName, TOOLS.compose.version);
  for (const name of Object.keys(TEST_TOOLS) as Array<keyof typeof TEST_TOOLS>) {
    const buildStarted = Date.now();
    const binary = testToolPath(name);
    process.stdout.write(`${name.padEnd(14)} ${binary.padEnd(44)} binary ${((Date.now() - buildStarted) / 1000).toFixed(1)}s\n`);
  }

  const images: Record<string, string> = {};
  for (const standIn of STAND_INS) {
    const buildStarted = Date.now();
    const binDir = goBuild(standIn.build.tool, standIn.build.version);
    const binarySeconds = (Date.now() - buildStarted) / 1000;
    const built = await buildStandIn(standIn, binDir);
    images[standIn.image] = standInTag(standIn);
    process.stdout.write(
      `${standIn.image.padEnd(14)} ${built.tag.padEnd(44)} binary ${binarySeconds.toFixed(1)}s, image ${built.rebuilt ? `${built.seconds.toFixed(1)}s` : "unchanged"}\n`,
    );
  }
  const demo = await buildDemoImage();
  images.demo = demo.tag;
  process.stdout.write(`${"demo".padEnd(14)} ${demo.tag.padEnd(44)} image ${demo.rebuilt ? `${demo.seconds.toFixed(1)}s` : "unchanged"}\n`);
  for (const [name, reason] of Object.entries(NOT_BUILT)) process.stdout.write(`${name.padEnd(14)} not booted here: ${reason}\n`);

  mkdirSync(dirname(OVERLAY_FILE), { recursive: true });
  writeFileSync(OVERLAY_FILE, `${JSON.stringify({ images, disabled: NOT_BUILT }, null, 2)}\n`);
  process.stdout.write(`testbed ready in ${((Date.now() - started) / 1000).toFixed(1)}s; overlay: ${OVERLAY_FILE}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`testbed failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
