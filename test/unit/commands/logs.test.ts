/** `logs` names its services from the bundle's plan.json; only unknown names are used, so Docker is never called. */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/run-cli.ts";
import { tempProject } from "../../helpers/temp-project.ts";

const generated = (config: string): string => {
  const dir = tempProject({ "stack.config.ts": `export default ${config};\n` });
  expect(runCli(dir, ["generate"]).status).toBe(0);
  return dir;
};

describe("npm run logs", () => {
  it("suggests the closest service of the plan for a mistyped one", () => {
    const run = runCli(generated("{ demo: { enabled: true } }"), ["logs", "lok", "--no-follow"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no service "lok" in this stack');
    expect(run.stderr).toContain('did you mean "loki"?');
  });

  it("falls back to the plan of the generated bundle when the config no longer loads", () => {
    const dir = generated("{}");
    writeFileSync(join(dir, "stack.config.ts"), "export default { bogus: true };\n");
    const run = runCli(dir, ["logs", "--no-follow"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("the config does not load");
    expect(run.stderr).toContain("services: prometheus, alertmanager, grafana, loki, jaeger, otel-collector, node-exporter, cadvisor, blackbox, pushgateway");
  });

  it("asks for a regenerated bundle when the plan is missing", () => {
    const dir = generated("{}");
    rmSync(join(dir, ".stack", "plan.json"));
    const run = runCli(dir, ["logs", "lok", "--no-follow"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("no plan in");
    expect(run.stderr).toContain("run `npm run generate`");
  });
});
