/**
 * The demo image is published nowhere: when the stack runs the demo with its default image and that
 * image is missing, `up` builds it from demo/ (its Dockerfile, on the pinned node:*-alpine LTS image). A user who points
 * images.demo elsewhere gets that image pulled like any other.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pinnedImage } from "../catalog/components.ts";
import type { StackModel } from "../config/model.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { REPO_ROOT } from "../render/templates.ts";
import { buildImageFromDir, imageLabel } from "./docker.ts";

const DEMO_CONTEXT = join(REPO_ROOT, "demo");
/** What the Dockerfile copies; never node_modules or dist from the working tree. */
const CONTEXT_ENTRIES = ["Dockerfile", "package.json", "package-lock.json", "build.mjs", "tsconfig.json", "src"];
/** The image records the hash of what it was built from, so a changed demo/ is rebuilt on the next `up`. */
const SOURCE_HASH_LABEL = "io.obs-stack.demo.source-hash";

function sourceHash(): string {
  const hash = createHash("sha256");
  const add = (relative: string) => {
    const path = join(DEMO_CONTEXT, relative);
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path).sort()) add(join(relative, entry));
    else hash.update(relative).update(readFileSync(path));
  };
  CONTEXT_ENTRIES.forEach(add);
  return hash.digest("hex").slice(0, 16);
}

export async function ensureDemoImage(model: StackModel, out: Output): Promise<void> {
  const image = model.images.demo;
  if (!model.config.demo.enabled || image !== pinnedImage("demo")) return;
  const hash = sourceHash();
  const built = await imageLabel(image, SOURCE_HASH_LABEL);
  if (built === hash) return;
  out.info(`building ${image} from demo/ (${built === undefined ? "first run" : "its source changed"})`);
  try {
    await buildImageFromDir(DEMO_CONTEXT, CONTEXT_ENTRIES, image, { [SOURCE_HASH_LABEL]: hash });
  } catch (error) {
    throw new StackError(
      "PULL_FAILED",
      `cannot build the demo image ${image}: ${(error as Error).message}`,
      "it builds FROM a node:*-alpine image, which needs the registry; set demo.enabled to false, or images.demo to an image you have",
    );
  }
}
