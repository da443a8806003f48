/** The registry lists every command from its declaration and loads a command's code only when it runs. */
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../../scripts/stack/commands/registry.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";

/** The node_modules packages (tsx, the loader, aside) a fresh Node process holds after running `steps` (ES module code). */
function packagesLoadedBy(steps: string): string[] {
  const registry = pathToFileURL(join(REPO_ROOT, "scripts", "stack", "commands", "registry.ts")).href;
  const script = `
    import { createRequire } from "node:module";
    const { findCommand } = await import(${JSON.stringify(registry)});
    ${steps}
    const loaded = Object.keys(createRequire(import.meta.url).cache).map((path) => path.split("/node_modules/")[1]?.split("/")[0]).filter((name) => name && name !== "tsx" && name !== "esbuild");
    process.stdout.write(JSON.stringify([...new Set(loaded)].sort()));`;
  const run = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), "--input-type=module", "-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[];
}

describe("the command registry", () => {
  it("loads, for each name, that command, declared as the parser and the help saw it", async () => {
    for (const command of COMMANDS) {
      const runnable = await command.load();
      expect(runnable.name).toBe(command.name);
      expect(runnable.summary).toBe(command.summary);
      expect(runnable.flags).toBe(command.flags);
      expect(runnable.argument).toBe(command.argument);
      expect(typeof runnable.run).toBe("function");
    }
  });

  it("loads no command's code to list or parse them, and the Docker client only for a command that needs the engine", () => {
    expect(packagesLoadedBy("")).toEqual([]);
    const generate = packagesLoadedBy('await findCommand("generate").load();');
    expect(generate).toContain("handlebars");
    expect(generate).not.toContain("dockerode");
    expect(packagesLoadedBy('await findCommand("up").load();')).toContain("dockerode");
  });
});
