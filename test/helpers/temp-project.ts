/** Small inline file trees in temp dirs, for tests that need a real config file on disk. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach } from "vitest";

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "obs-stack-test-"));
  created.push(dir);
  // ESM like the real project, so configs may use top-level await and `import`.
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
  return dir;
}
