/**
 * `up` leaves Compose out only when nothing changed (runtime/up-record.ts), on the real engine: a
 * second `up` says so and touches no container, and each change the unit tests decide on — a
 * container stopped or removed, an image rebuilt under its tag, a variable Compose reads — makes
 * `up` run Compose and put the stack right. Run under the engine lock:
 * `npm run testbed && npx vitest run --config vitest.e2e.config.ts test/e2e/up-no-change.test.ts`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { bridgeGatewayAddress, buildImageFromDir, docker } from "../../scripts/stack/runtime/docker.ts";
import { runCli, type CliRun } from "../helpers/run-cli.ts";
import { e2eContainer, notBooted, peerSecrets, stackAvailable } from "./helpers.ts";
import { startLokiDoor, type LokiDoor } from "./loki-door.ts";

const CONFIG = join(REPO_ROOT, "test", "e2e", "stack.e2e.config.ts");
// A bundle of its own: the record this file's `up`s leave is no other file's business.
const OUT = join(mkdtempSync(join(tmpdir(), "obs-e2e-no-change-")), ".stack");
const SECRETS = { E2E_WEBHOOK_URL: "http://127.0.0.1:9/never-called", ...peerSecrets() };
const cli = (env: Record<string, string>, ...args: string[]): CliRun => runCli(REPO_ROOT, [...args, "--config", CONFIG, "--out", OUT], { ...SECRETS, ...env });
const up = (env: Record<string, string> = {}): CliRun => {
  const run = cli(env, "up");
  expect(run.status, run.stderr + run.stdout).toBe(0);
  return run;
};
const NO_CHANGE = "no change since the last `up`";
/** Compose ran: `up` printed the containers' states while it waited. */
const composeRan = (run: CliRun) => /^ {2}[\w.-]+: (running|healthy|starting|created)$/m.test(run.stdout);
const containerIds = async () =>
  Object.fromEntries(
    (await docker().listContainers({ all: true, filters: { label: ["com.docker.compose.project=obs-e2e"] } })).map((info) => [info.Labels["com.docker.compose.service"], info.Id]),
  );

describe("up with nothing changed, and with each kind of change", () => {
  let lokiDoor: LokiDoor | undefined;

  beforeAll(async () => {
    expect(stackAvailable(), "the testbed's image overlay: run `npm run testbed` first").toBe(true);
    cli({}, "down", "--volumes", "--yes");
    if ("loki" in notBooted()) lokiDoor = await startLokiDoor((await bridgeGatewayAddress())!);
    const first = up();
    expect(first.stdout).not.toContain(NO_CHANGE);
  });
  afterAll(async () => {
    cli({}, "down", "--volumes", "--yes");
    await lokiDoor?.stop();
  });

  it("a second `up` says nothing changed, leaves Compose out and every container as it was", async () => {
    const before = await containerIds();
    const run = up();
    expect(run.stdout).toContain(NO_CHANGE);
    expect(composeRan(run)).toBe(false);
    expect(run.stdout).toMatch(/^Prometheus +healthy +http:\/\/127\.0\.0\.1:9090$/m);
    expect(await containerIds()).toEqual(before);
  });

  it("a stopped container: Compose runs and starts it again", async () => {
    const pushgateway = await e2eContainer("pushgateway");
    await docker().getContainer(pushgateway.id).stop();
    const run = up();
    expect(run.stdout).not.toContain(NO_CHANGE);
    expect(composeRan(run)).toBe(true);
    expect((await docker().getContainer(pushgateway.id).inspect()).State.Running).toBe(true);
    expect(up().stdout).toContain(NO_CHANGE);
  });

  it("a removed container: Compose runs and creates it again", async () => {
    const pushgateway = await e2eContainer("pushgateway");
    await docker().getContainer(pushgateway.id).remove({ force: true });
    const run = up();
    expect(run.stdout).not.toContain(NO_CHANGE);
    const again = await e2eContainer("pushgateway");
    expect(again.id).not.toBe(pushgateway.id);
    expect(again.health).toBe("healthy");
    expect(up().stdout).toContain(NO_CHANGE);
  });

  it("a variable Compose reads changed in the environment: Compose runs, and again when it changes back", () => {
    expect(up({ E2E_WEBHOOK_URL: "http://127.0.0.1:9/another" }).stdout).not.toContain(NO_CHANGE);
    expect(up().stdout).not.toContain(NO_CHANGE);
    expect(up().stdout).toContain(NO_CHANGE);
  });

  it("an image rebuilt under the same tag: Compose recreates the container on it", async () => {
    const pushgateway = await e2eContainer("pushgateway");
    const original = (await docker().getImage(pushgateway.image).inspect()).Id;
    const context = mkdtempSync(join(tmpdir(), "obs-e2e-rebuild-"));
    writeFileSync(join(context, "Dockerfile"), `FROM ${pushgateway.image}\nLABEL io.obs-stack.e2e.rebuilt="yes"\n`);
    await buildImageFromDir(context, ["Dockerfile"], pushgateway.image);
    const rebuilt = (await docker().getImage(pushgateway.image).inspect()).Id;
    try {
      expect(rebuilt).not.toBe(original);
      const run = up();
      expect(run.stdout).not.toContain(NO_CHANGE);
      const recreated = await e2eContainer("pushgateway");
      expect(recreated.id).not.toBe(pushgateway.id);
      expect((await docker().getContainer(recreated.id).inspect()).Image).toBe(rebuilt);
      expect(up().stdout).toContain(NO_CHANGE);
    } finally {
      // The tag back on the testbed's image, for the files that run after this one.
      const [repo, tag] = [pushgateway.image.slice(0, pushgateway.image.lastIndexOf(":")), pushgateway.image.slice(pushgateway.image.lastIndexOf(":") + 1)];
      await docker().getImage(original).tag({ repo, tag });
      cli({}, "down");
      await docker().getImage(rebuilt).remove().catch(() => undefined);
    }
  });
});
