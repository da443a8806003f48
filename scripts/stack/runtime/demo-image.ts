/**
 * The demo image is published nowhere: when the stack runs the demo with its default image and that
 * image is missing, `up` builds it from demo/ (its Dockerfile, on node:20-alpine). A user who points
 * images.demo elsewhere gets that image pulled like any other.
 */
import { join } from "node:path";
import { pinnedImage } from "../catalog/components.ts";
import type { StackModel } from "../config/model.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { REPO_ROOT } from "../render/templates.ts";
import { buildImageFromDir, imagePresent } from "./docker.ts";

const DEMO_CONTEXT = join(REPO_ROOT, "demo");
/** What the Dockerfile copies; never node_modules or dist from the working tree. */
const CONTEXT_ENTRIES = ["Dockerfile", "package.json", "package-lock.json", "build.mjs", "tsconfig.json", "src"];

export async function ensureDemoImage(model: StackModel, out: Output): Promise<void> {
  const image = model.images.demo;
  if (!model.config.demo.enabled || image !== pinnedImage("demo") || (await imagePresent(image))) return;
  out.info(`building ${image} from demo/ (first run only)`);
  try {
    await buildImageFromDir(DEMO_CONTEXT, CONTEXT_ENTRIES, image);
  } catch (error) {
    throw new StackError(
      "PULL_FAILED",
      `cannot build the demo image ${image}: ${(error as Error).message}`,
      "it builds FROM node:20-alpine, which needs the registry; set demo.enabled to false, or images.demo to an image you have",
    );
  }
}
