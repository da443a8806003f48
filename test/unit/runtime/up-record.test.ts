/**
 * When `up` may leave Compose out: only when nothing Compose would compare changed since the last
 * successful `up`. Every way the stack or its inputs can change must make it run Compose.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUNDLE_PATHS, renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { buildPlan } from "../../../scripts/stack/render/plan.ts";
import type { ProjectContainer } from "../../../scripts/stack/runtime/docker.ts";
import {
  composeVariables,
  forgetUpRecord,
  inputsDigest,
  readUpRecord,
  unchangedSinceLastUp,
  upRecordOf,
  writeUpRecord,
  type StackNow,
  type UpInputs,
} from "../../../scripts/stack/runtime/up-record.ts";
import { modelOf } from "../../helpers/parse.ts";

const model = modelOf({});
const bundle = renderBundle(model);
const services = buildPlan(model).services.map((service) => service.name);
const baseInputs: UpInputs = { bundleDir: "/srv/stack/.stack", bundle, envFile: "/srv/stack/.env", envFileText: "GRAFANA_ADMIN_PASSWORD=one\n", env: { PATH: "/usr/bin" } };
const digest = inputsDigest(baseInputs);

const container = (service: string, changes: Partial<ProjectContainer> = {}): ProjectContainer => ({
  id: `id-${service}`,
  name: `obs-${service}-1`,
  service,
  state: "running",
  health: "healthy",
  status: "Up 3 minutes (healthy)",
  createdAt: new Date(0),
  publishedPorts: [],
  imageId: `sha256:${service}`,
  ...changes,
});

/** The stack as the last `up` left it: every service running and healthy on its image. */
const asLeft = (): StackNow => ({
  inputs: digest,
  services: services.map((name) => ({ name, imageId: `sha256:${name}` })),
  containers: services.map((name) => container(name)),
});
const record = upRecordOf(digest, asLeft().containers);
const [first, second] = services as [string, string];

/** The same stack with one service's container replaced. */
const withContainer = (service: string, changes: Partial<ProjectContainer>): StackNow => {
  const now = asLeft();
  return { ...now, containers: now.containers.map((c) => (c.service === service ? { ...c, ...changes } : c)) };
};

describe("an `up` with nothing changed leaves Compose out", () => {
  it("when everything is as the last `up` left it, also with containers that have no healthcheck", () => {
    expect(services.length).toBeGreaterThan(3);
    expect(unchangedSinceLastUp(record, asLeft())).toEqual({ unchanged: true });
    expect(unchangedSinceLastUp(record, withContainer(first, { health: "none", status: "Up 3 minutes" }))).toEqual({ unchanged: true });
  });
});

describe("anything changed: Compose runs", () => {
  it.each([
    ["no record (the first `up`, or the last one failed)", undefined, asLeft()],
    ["a bundle file changed", record, { ...asLeft(), inputs: inputsDigest({ ...baseInputs, bundle: new Map([...bundle, [BUNDLE_PATHS.prometheus, "changed"]]) }) }],
    ["a container was removed", record, { ...asLeft(), containers: asLeft().containers.filter((c) => c.service !== first) }],
    ["a container was recreated (another id)", record, withContainer(first, { id: "id-new" })],
    ["a container was stopped", record, withContainer(first, { state: "exited", health: "none" })],
    ["a container is restarting", record, withContainer(first, { state: "restarting", health: "none" })],
    ["a container is unhealthy", record, withContainer(second, { health: "unhealthy" })],
    ["a container is still starting", record, withContainer(second, { health: "starting" })],
    ["an image was rebuilt or pulled under the same tag", record, { ...asLeft(), services: asLeft().services.map((s) => (s.name === first ? { ...s, imageId: "sha256:rebuilt" } : s)) }],
    ["an image is gone", record, { ...asLeft(), services: asLeft().services.map((s) => (s.name === first ? { ...s, imageId: undefined } : s)) }],
    ["a container of a service the bundle no longer has (an orphan)", record, { ...asLeft(), containers: [...asLeft().containers, container("old-service")] }],
    ["two containers of one service", record, { ...asLeft(), containers: [...asLeft().containers, container(first, { id: "id-second" })] }],
  ] as const)("%s", (_case, lastUp, now) => {
    const verdict = unchangedSinceLastUp(lastUp, now);
    expect(verdict.unchanged).toBe(false);
    expect(verdict.unchanged === false && verdict.reason).toBeTruthy();
  });
});

describe("the inputs: everything Compose reads", () => {
  it("the same inputs give the same digest, in any order of the bundle's files", () => {
    expect(inputsDigest({ ...baseInputs, bundle: new Map([...bundle].reverse()) })).toBe(digest);
  });

  it.each([
    [".env edited", { envFileText: "GRAFANA_ADMIN_PASSWORD=two\n" }],
    [".env deleted", { envFileText: undefined }],
    ["a mounted config changed", { bundle: new Map([...bundle, [BUNDLE_PATHS.prometheus, `${bundle.get(BUNDLE_PATHS.prometheus)}#\n`]]) }],
    ["compose.yaml changed", { bundle: new Map([...bundle, [BUNDLE_PATHS.compose, `${bundle.get(BUNDLE_PATHS.compose)}#\n`]]) }],
    ["a file added to the bundle", { bundle: new Map([...bundle, ["extra.yml", ""]]) }],
    ["the bundle moved (Compose resolves its mounts against it)", { bundleDir: "/srv/other/.stack" }],
    ["another env file", { envFile: "/srv/other/.env" }],
    ["a variable compose.yaml interpolates set in the environment (it wins over .env)", { env: { ...baseInputs.env, GRAFANA_ADMIN_PASSWORD: "from-env" } }],
    ["DOCKER_HOST set", { env: { ...baseInputs.env, DOCKER_HOST: "unix:///run/other.sock" } }],
    ["COMPOSE_PROFILES set", { env: { ...baseInputs.env, COMPOSE_PROFILES: "debug" } }],
  ] as const)("%s: another digest", (_case, change) => {
    expect(inputsDigest({ ...baseInputs, ...change })).not.toBe(digest);
  });

  it("a variable Compose does not read leaves the digest alone", () => {
    expect(inputsDigest({ ...baseInputs, env: { ...baseInputs.env, HOME: "/root", TERM: "xterm" } })).toBe(digest);
  });

  it("takes the variables compose.yaml names, interpolated or as a secret's source, and Compose's and Docker's settings", () => {
    const compose = 'x: "${GRAFANA_ADMIN_PASSWORD:?set it}"\ny: "${E2E_PG_DSN:-}"\nz: $PLAIN\nsecrets:\n  s:\n    environment: "FROM_SECRET"\n';
    const env = { GRAFANA_ADMIN_PASSWORD: "a", E2E_PG_DSN: "b", PLAIN: "c", FROM_SECRET: "d", DOCKER_CONTEXT: "remote", COMPOSE_PROFILES: "x", HOME: "/root", UNRELATED: "e" };
    expect(composeVariables(compose, env)).toEqual(["COMPOSE_PROFILES", "DOCKER_CONTEXT", "E2E_PG_DSN", "FROM_SECRET", "GRAFANA_ADMIN_PASSWORD", "PLAIN"]);
    // The shipped stack hands Grafana its password as a secret from the environment.
    expect(composeVariables(bundle.get(BUNDLE_PATHS.compose)!, { GRAFANA_ADMIN_PASSWORD: "a" })).toEqual(["GRAFANA_ADMIN_PASSWORD"]);
  });
});

describe("the record file", () => {
  it("round-trips, is private (its digest covers the secrets), and is forgotten on request", () => {
    const dir = mkdtempSync(join(tmpdir(), "obs-up-record-"));
    expect(readUpRecord(dir)).toBeUndefined();
    writeUpRecord(dir, record);
    expect(readUpRecord(dir)).toEqual(record);
    expect(statSync(join(dir, ".obs-stack-up.json")).mode & 0o777).toBe(0o600);
    forgetUpRecord(dir);
    expect(readUpRecord(dir)).toBeUndefined();
  });

  it("a damaged or foreign record counts as none", () => {
    const dir = mkdtempSync(join(tmpdir(), "obs-up-record-"));
    for (const text of ["{", "null", '{"inputs": 1, "containers": {}}', '{"inputs": "x"}']) {
      writeFileSync(join(dir, ".obs-stack-up.json"), text);
      expect(readUpRecord(dir), text).toBeUndefined();
    }
    writeUpRecord(dir, record);
    expect(JSON.parse(readFileSync(join(dir, ".obs-stack-up.json"), "utf8"))).toEqual(record);
  });
});
