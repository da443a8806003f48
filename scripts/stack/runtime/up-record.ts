/**
 * What a successful `up` leaves in the bundle so that the next `up` can tell nothing changed and not
 * call Compose: its no-op `up -d --wait` alone took 0.6 s, a third of a no-change `up`
 * (docs/benchmarks.md). The skip is decided on what Compose itself would compare, and errs one way
 * only: anything unknown or different means Compose runs as before.
 * - its inputs: every bundle file (compose.yaml and the configs it mounts, whose change needs a reload
 *   or restart), the .env file, and the variables of our environment that Compose reads;
 * - the containers: exactly one per planned service and no other (Compose removes orphans), each the
 *   very container the last `up` left (a removed or recreated one has another id), running, healthy
 *   where it has a healthcheck, and on the image its reference names now (a rebuilt or pulled tag
 *   makes Compose recreate the container).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUNDLE_PATHS, type Bundle } from "../bundle/bundle.ts";
import type { ProjectContainer } from "./docker.ts";

const RECORD_FILE = ".obs-stack-up.json";

export interface UpRecord {
  /** inputsDigest() of what the `up` applied. */
  inputs: string;
  /** Per service, the id of the container the `up` left running. */
  containers: Record<string, string>;
}

export interface UpInputs {
  bundleDir: string;
  bundle: Bundle;
  envFile: string;
  /** The env file's text; undefined when there is none (Compose then gets no --env-file). */
  envFileText: string | undefined;
  env: NodeJS.ProcessEnv;
}

/** One digest of everything Compose reads; secrets go into it, so the record file is private (0600). */
export function inputsDigest(inputs: UpInputs): string {
  const hash = createHash("sha256");
  // JSON framing: no two different sequences of values hash the same bytes.
  const add = (value: string | null) => hash.update(`${JSON.stringify(value)}\n`);
  // Compose resolves the bind mounts against the bundle's place: a moved bundle is a changed one.
  add(inputs.bundleDir);
  add(inputs.envFile);
  add(inputs.envFileText ?? null);
  for (const [path, contents] of [...inputs.bundle].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    add(path);
    add(contents);
  }
  for (const name of composeVariables(inputs.bundle.get(BUNDLE_PATHS.compose) ?? "", inputs.env)) {
    add(name);
    add(inputs.env[name] ?? "");
  }
  return hash.digest("hex");
}

/**
 * The variables of our environment that can change what Compose does: those compose.yaml names
 * (`${X}` and `$X` interpolations, and secrets taken `environment: "X"`; ours win over .env's) and Compose's
 * and Docker's own settings (COMPOSE_*, DOCKER_*). `$$` is a literal dollar, not a variable: the
 * start scripts in commands are full of shell words and `$$VAR`s that Compose never expands (and
 * render/compose.ts refuses any other `$`). One that is unset does not count: .env's text, or
 * nothing, stands for it.
 */
export function composeVariables(composeYaml: string, env: NodeJS.ProcessEnv): string[] {
  const interpolated = [...composeYaml.replaceAll("$$", "").matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]!);
  const secretSources = [...composeYaml.matchAll(/^\s+environment: "([A-Za-z_][A-Za-z0-9_]*)"$/gm)].map((match) => match[1]!);
  const named = new Set([...interpolated, ...secretSources]);
  return Object.keys(env)
    .filter((name) => named.has(name) || /^(COMPOSE|DOCKER)_/.test(name))
    .sort();
}

export type UpVerdict = { unchanged: true } | { unchanged: false; reason: string };

export interface StackNow {
  inputs: string;
  /** The services of the plan, each with the image id its image reference resolves to now (undefined: not present). */
  services: ReadonlyArray<{ name: string; imageId: string | undefined }>;
  /** Every container of the Compose project, running or not. */
  containers: readonly ProjectContainer[];
}

/** Pure: whether Compose would find nothing to do, judged against the record of the last successful `up`. */
export function unchangedSinceLastUp(record: UpRecord | undefined, now: StackNow): UpVerdict {
  const changed = (reason: string): UpVerdict => ({ unchanged: false, reason });
  if (!record) return changed("no record of a successful `up`");
  if (record.inputs !== now.inputs) return changed("the bundle, the .env file or the environment Compose reads changed");
  const planned = new Set(now.services.map((service) => service.name));
  const orphan = now.containers.find((container) => !planned.has(container.service));
  if (orphan) return changed(`container ${orphan.name} belongs to no service of the bundle`);
  for (const service of now.services) {
    const containers = now.containers.filter((container) => container.service === service.name);
    if (containers.length !== 1) return changed(`${service.name} has ${containers.length} containers`);
    const container = containers[0]!;
    if (record.containers[service.name] !== container.id) return changed(`${service.name}'s container is not the one the last \`up\` left`);
    if (container.state !== "running") return changed(`${service.name} is ${container.state}`);
    if (container.health !== "healthy" && container.health !== "none") return changed(`${service.name} is ${container.health}`);
    if (service.imageId === undefined || service.imageId !== container.imageId) return changed(`${service.name}'s image changed since its container was created`);
  }
  return { unchanged: true };
}

export function upRecordOf(inputs: string, containers: readonly ProjectContainer[]): UpRecord {
  return { inputs, containers: Object.fromEntries(containers.map((container) => [container.service, container.id])) };
}

/** The record, or undefined when there is none or it is not one (then Compose runs). */
export function readUpRecord(bundleDir: string): UpRecord | undefined {
  const path = join(bundleDir, RECORD_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, "utf8")) as Partial<UpRecord> | null;
    if (typeof record?.inputs !== "string" || typeof record.containers !== "object" || record.containers === null) return undefined;
    return { inputs: record.inputs, containers: record.containers };
  } catch {
    return undefined;
  }
}

export function writeUpRecord(bundleDir: string, record: UpRecord): void {
  const path = join(bundleDir, RECORD_FILE);
  // A half-written record must never be read: written aside, then renamed over.
  const partial = `${path}.partial`;
  writeFileSync(partial, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, path);
}

/**
 * Called before an `up` changes anything: if it fails halfway, the containers may run a mix of the
 * old and new config, which no record may vouch for.
 */
export function forgetUpRecord(bundleDir: string): void {
  rmSync(join(bundleDir, RECORD_FILE), { force: true });
}
