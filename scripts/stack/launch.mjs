/**
 * What the npm scripts run: the CLI from a bundle of its own sources instead of hundreds of .ts
 * files through tsx's loader, which cost most of a second at every start. Plain JavaScript, so
 * nothing has to be compiled before it. The bundle is used only while every file it was built from
 * is unchanged; otherwise it is rebuilt first, so an edit shows on the next command.
 */
import { pathToFileURL } from "node:url";
import { CLI_SOURCE, buildBundle, freshBundle } from "./cli-bundle.mjs";

let entry;
try {
  entry = freshBundle() ?? (await buildBundle());
} catch (error) {
  // esbuild's own first error says where ("Build failed with 4 errors" does not).
  const first = error?.errors?.[0];
  const reason = first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ""}${first.text}` : error instanceof Error ? error.message.split("\n")[0] : String(error);
  process.stderr.write(`obs-stack: the CLI bundle could not be built (${reason}); running the sources through tsx (slower start)\n`);
}
if (!entry) {
  // The same loader `node --import tsx` would register.
  const { register } = await import("tsx/esm/api");
  register();
}
await import(pathToFileURL(entry ?? CLI_SOURCE).href);
