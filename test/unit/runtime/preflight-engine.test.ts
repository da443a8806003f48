import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";

// preflight() asks the engine and Compose; here they are stand-ins, so only the engine check decides.
const engine = vi.hoisted(() => ({ version: "29.8.0", apiVersion: "1.56" }));
vi.mock("../../../scripts/stack/runtime/docker.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../scripts/stack/runtime/docker.ts")>()),
  dockerReachable: async () => true,
  engineInfo: async () => ({ ...engine, rootDir: "/" }),
  containersPublishing: async () => [],
  projectContainers: async () => [],
}));
vi.mock("../../../scripts/stack/runtime/compose-cli.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../scripts/stack/runtime/compose-cli.ts")>()),
  composeVersion: () => "2.40.3",
}));
vi.mock("../../../scripts/stack/config/rules.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../scripts/stack/config/rules.ts")>()),
  publishedPorts: () => [],
}));

const { engineFinding, MIN_ENGINE, preflight } = await import("../../../scripts/stack/runtime/preflight.ts");
type Project = Parameters<typeof preflight>[0];

describe("preflight: the Docker engine must be at least the oldest the README supports", () => {
  it("keeps the README's minimum: Docker Engine 20.10, API 1.41", () => {
    expect(MIN_ENGINE).toEqual({ version: "20.10", api: "1.41" });
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(`Docker Engine ${MIN_ENGINE.version} or newer (API ${MIN_ENGINE.api}+)`);
  });

  it.each([
    ["29.8.0", "1.56"], // what the testbed runs
    ["28.2.2", "1.50"],
    ["20.10.0", "1.41"], // the oldest supported
    ["20.10.24+dfsg1", "1.41"], // Debian bookworm's docker.io
    ["dev", "1.52"], // a dev build: judged by its API version
  ])("accepts Docker Engine %s (API %s)", (version, apiVersion) => {
    expect(engineFinding({ version, apiVersion })).toEqual({ check: "docker", ok: true, message: `Docker Engine ${version} (API ${apiVersion})` });
  });

  it.each([
    ["19.03.15", "1.40"],
    ["1.13.1", "1.26"], // RHEL 7's docker
    ["20.10.0", "1.40"], // new enough by number, too old by API
    ["dev", "1.40"],
  ])("refuses Docker Engine %s (API %s), naming it, the minimum and how to upgrade", (version, apiVersion) => {
    const finding = engineFinding({ version, apiVersion });
    expect(finding.ok).toBe(false);
    expect(finding.message).toBe(`Docker Engine ${version} (API ${apiVersion}) is older than the oldest supported, Docker Engine 20.10 (API 1.41)`);
    expect(finding.hint).toMatch(/^upgrade Docker Engine to 20\.10 or newer/);
    expect(finding.hint).toContain("docker-ce");
    expect(finding.hint).toContain("https://docs.docker.com/engine/install/");
    expect(finding.hint).toContain("Docker Desktop");
  });

  it("preflight reports the refusal as a failed docker check, which makes `up` stop", async () => {
    const project = { bundleDir: "/nonexistent", envFile: "/nonexistent/.env", model: { config: { project: { name: "obs" } } } } as unknown as Project;
    Object.assign(engine, { version: "19.03.15", apiVersion: "1.40" });
    const refused = (await preflight(project)).find((finding) => finding.check === "docker");
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining("Docker Engine 19.03.15 (API 1.40) is older than") });

    Object.assign(engine, { version: "29.8.0", apiVersion: "1.56" });
    const accepted = (await preflight(project)).find((finding) => finding.check === "docker");
    expect(accepted).toEqual({ check: "docker", ok: true, message: "Docker Engine 29.8.0 (API 1.56)" });
  });
});
