import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findConfigFile, importConfigModule } from "../../../scripts/stack/config/import-config.ts";
import { StackError } from "../../../scripts/stack/errors.ts";
import { tempProject } from "../../helpers/temp-project.ts";

async function importError(dir: string, file = "stack.config.ts"): Promise<StackError> {
  try {
    await importConfigModule(join(dir, file));
  } catch (error) {
    if (error instanceof StackError) return error;
    throw error;
  }
  throw new Error("expected the import to fail");
}

describe("finding the config", () => {
  it("lists every path it tried when none exists", () => {
    const dir = tempProject({});
    expect(() => findConfigFile(undefined, dir)).toThrowError(/No stack config found. Tried:\n.*stack\.config\.ts\n.*stack\.config\.mts/);
  });

  it("an explicit --config path must exist", () => {
    const dir = tempProject({ "stack.config.ts": "export default {}" });
    expect(() => findConfigFile("other.ts", dir)).toThrowError(/other\.ts/);
    expect(findConfigFile(undefined, dir)).toBe(join(dir, "stack.config.ts"));
  });

  it("an explicit path is never replaced by the default file, even an empty one, and must be a file", () => {
    const dir = tempProject({ "stack.config.ts": "export default {}", "configs/prod.ts": "export default {}" });
    expect(() => findConfigFile("", dir)).toThrowError(`No stack config found. Tried:\n  - ${dir}`);
    expect(() => findConfigFile("configs", dir)).toThrowError(`No stack config found. Tried:\n  - ${join(dir, "configs")}`);
  });
});

describe("importing the config", () => {
  it("a syntax error names the file, line and cause", async () => {
    const dir = tempProject({ "stack.config.ts": "export default {\n  project: { name: 'x' },,\n};\n" });
    const error = await importError(dir);
    expect(error.code).toBe("CONFIG_IMPORT_FAILED");
    // Under vitest the file is transformed by Vite's oxc, not tsx's esbuild: both formats are parsed.
    expect(error.message).toMatch(new RegExp(`^${join(dir, "stack.config.ts")}:2: the config file could not be loaded: \\S`));
  });

  it("a config that throws names the file, line and cause", async () => {
    const dir = tempProject({
      "stack.config.ts": "const port = Number('x');\nif (Number.isNaN(port)) throw new Error('PORT must be a number');\nexport default {};\n",
    });
    const error = await importError(dir);
    expect(error.message).toContain(`${join(dir, "stack.config.ts")}:2:`);
    expect(error.message).toContain("PORT must be a number");
  });

  it("a config without a default export says how to fix it", async () => {
    const dir = tempProject({ "stack.config.ts": "export const config = {};\n" });
    const error = await importError(dir);
    expect(error.message).toMatch(/has no default export/);
    expect(error.hint).toMatch(/export default defineStack/);
  });

  it("a getter that throws names the file, its line, the path being read and the cause", async () => {
    const dir = tempProject({
      "stack.config.ts": "export default {\n  components: { grafana: {\n    get port() { throw new Error('boom'); },\n  } },\n};\n",
    });
    const error = await importError(dir);
    expect(error.code).toBe("CONFIG_IMPORT_FAILED");
    expect(error.message).toBe(`${join(dir, "stack.config.ts")}:3: reading components.grafana.port from the config threw: boom`);
    expect(error.hint).toMatch(/getter or Proxy/);
  });

  it("a Proxy that throws on any read is reported the same way", async () => {
    const dir = tempProject({ "stack.config.ts": "export default new Proxy({}, { ownKeys() { throw new Error('no keys'); } });\n" });
    expect((await importError(dir)).message).toBe(`${join(dir, "stack.config.ts")}:1: reading the default export from the config threw: no keys`);
  });

  it("a value inside itself is refused; one used twice is fine", async () => {
    const dir = tempProject({ "stack.config.ts": "const labels = { team: 'a' };\nconst config = { services: [{ labels }, { labels }] };\nconfig.services[1].self = config;\nexport default config;\n" });
    expect((await importError(dir)).message).toBe(`${join(dir, "stack.config.ts")}: services[1].self refers back to a value that contains it`);
  });

  it("the config comes back as plain data, each getter read once", async () => {
    const dir = tempProject({ "stack.config.ts": "let reads = 0;\nexport default { get project() { reads += 1; return { name: `read-${reads}` }; }, services: [] };\n" });
    const config = await importConfigModule(join(dir, "stack.config.ts"));
    expect(config).toEqual({ project: { name: "read-1" }, services: [] });
    expect(Object.getOwnPropertyDescriptor(config, "project")?.get).toBeUndefined();
  });
});
