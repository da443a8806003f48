/** Pulls the images a command needs that the engine does not have yet, with progress in steps of 10 %. */
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { imagePresent, pullImage } from "./docker.ts";

export async function pullMissingImages(images: string[], out: Output): Promise<void> {
  for (const image of images) {
    if (await imagePresent(image)) continue;
    out.info(`pulling ${image}`);
    let lastPercent = -1;
    try {
      await pullImage(image, ({ current, total }) => {
        const percent = total > 0 ? Math.floor((current / total) * 10) * 10 : 0;
        if (percent !== lastPercent) out.info(`  ${image}: ${percent}%`);
        lastPercent = percent;
      });
    } catch (error) {
      throw new StackError(
        "PULL_FAILED",
        `cannot pull ${image}: ${(error as Error).message}`,
        "check the registry is reachable, or point images.<component> in stack.config.ts at a mirror that has it",
      );
    }
  }
}
