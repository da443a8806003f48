/**
 * Backups of the stack's state: every named volume of the plan (Prometheus's TSDB, Alertmanager's
 * silences and notification log, Grafana's database, Loki's chunks and index, Jaeger's Badger
 * store, a log agent's read positions), one tar per volume, taken from a stopped container so that
 * each is consistent, one service at a time so the rest of the stack keeps running. The manifest
 * is written last and holds each file's SHA-256: a backup without it is incomplete, and restore
 * checks every file before it touches anything.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import type { PlannedService, StackPlan } from "../render/plan.ts";
import { stateOwners, VOLUME_EXPORTER_SERVICE } from "../render/volume-exporter.ts";
import { createServiceContainer, runComposeOrFail, type ComposeProject } from "./compose-cli.ts";
import { projectContainers, readDirectoryArchive, removeVolume, writeDirectoryArchive } from "./docker.ts";

export const BACKUP_MANIFEST = "backup.json";
const FORMAT = 1;

export interface BackedUpVolume {
  service: string;
  volume: string;
  path: string;
  image: string;
  file: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof FORMAT;
  project: string;
  createdAt: string;
  volumes: BackedUpVolume[];
}

const withVolumes = (plan: StackPlan) => stateOwners(plan).filter((service) => service.volumes.length > 0);

/** Hashes and counts what passes through. */
function digest(): { stream: Transform; result: () => { bytes: number; sha256: string } } {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ bytes, sha256: hash.digest("hex") }) };
}

export async function backupStack(project: ComposeProject, plan: StackPlan, dir: string, out: Output): Promise<BackupManifest> {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new StackError("USAGE", `${dir} is not empty`, "name a new directory with --to");
  const containers = await projectContainers(plan.project);
  const services = withVolumes(plan);
  const stopped = services.filter((service) => containers.find((c) => c.service === service.name)?.state !== "running").map((service) => service.name);
  if (stopped.length > 0) throw new StackError("USAGE", `not running: ${stopped.join(", ")}`, "run `npm run up` first: a backup is taken from the running stack");

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const volumes: BackedUpVolume[] = [];
  for (const service of services) {
    const container = containers.find((c) => c.service === service.name)!;
    // Stopped, so that what is copied is what the component last wrote, not a file half-written.
    await runComposeOrFail(project, ["stop", service.name]);
    try {
      for (const { volume, path } of service.volumes) {
        const file = `${service.name}--${volume}.tar`;
        const counted = digest();
        await pipeline(await readDirectoryArchive(container.id, path), counted.stream, createWriteStream(join(dir, file), { mode: 0o600 }));
        const { bytes, sha256 } = counted.result();
        volumes.push({ service: service.name, volume, path, image: service.image, file, bytes, sha256 });
        out.info(`backed up ${service.name}: ${volume} (${(bytes / 1024 ** 2).toFixed(1)} MiB)`);
      }
    } finally {
      await runComposeOrFail(project, ["start", service.name]);
    }
  }
  await runComposeOrFail(project, ["up", "-d", "--wait", "--no-recreate", ...services.map((service) => service.name)]);
  const manifest: BackupManifest = { format: FORMAT, project: plan.project, createdAt: new Date().toISOString(), volumes };
  writeFileSync(join(dir, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

function readBackup(dir: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, BACKUP_MANIFEST), "utf8")) as BackupManifest;
  } catch {
    throw new StackError("USAGE", `no backup in ${dir} (no readable ${BACKUP_MANIFEST})`, "name a directory written by `npm run backup`; one without its manifest is incomplete");
  }
  if (manifest.format !== FORMAT || !Array.isArray(manifest.volumes))
    throw new StackError("USAGE", `${dir}/${BACKUP_MANIFEST} is not a backup this version can restore (format ${String(manifest.format)})`, "restore it with the obs-stack version that wrote it");
  return manifest;
}

async function fileDigest(file: string): Promise<{ bytes: number; sha256: string }> {
  const counted = digest();
  await pipeline(createReadStream(file), counted.stream, async function* (source) {
    for await (const _chunk of source);
  });
  return counted.result();
}

/** What in a backup the current stack cannot take, as one sentence per problem. */
async function restoreProblems(manifest: BackupManifest, plan: StackPlan, dir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const entry of manifest.volumes) {
    const service: PlannedService | undefined = plan.services.find((candidate) => candidate.name === entry.service);
    if (!service?.volumes.some((volume) => volume.volume === entry.volume && volume.path === entry.path))
      problems.push(`${entry.service}: the stack has no volume ${entry.volume} at ${entry.path} (is the component enabled?)`);
    const file = join(dir, entry.file);
    if (!existsSync(file)) {
      problems.push(`${entry.file} is missing`);
      continue;
    }
    const actual = await fileDigest(file);
    if (actual.sha256 !== entry.sha256 || actual.bytes !== entry.bytes) problems.push(`${entry.file} does not match its checksum: the backup is damaged`);
  }
  return problems;
}

/** The backup's manifest once every file is there, intact, and has a place in the current stack. */
export async function verifiedBackup(plan: StackPlan, dir: string): Promise<BackupManifest> {
  const manifest = readBackup(dir);
  const problems = await restoreProblems(manifest, plan, dir);
  if (problems.length > 0) throw new StackError("USAGE", `cannot restore ${dir}: ${problems.join("; ")}`, "nothing was changed");
  return manifest;
}

/**
 * Replaces the state of every service in a verified backup: its container is removed, its volumes
 * are deleted and created empty, the archives are unpacked into them before the container first
 * starts, then the stack is brought up and waited for. The volume exporter, which mounts every
 * volume, is removed first (Docker refuses to delete a volume in use) and comes back with the rest.
 */
export async function restoreStack(project: ComposeProject, plan: StackPlan, dir: string, manifest: BackupManifest, out: Output): Promise<void> {
  const services = [...new Set(manifest.volumes.map((entry) => entry.service))];
  if (plan.services.some((service) => service.name === VOLUME_EXPORTER_SERVICE)) await runComposeOrFail(project, ["rm", "--stop", "--force", VOLUME_EXPORTER_SERVICE]);
  for (const service of services) {
    await runComposeOrFail(project, ["rm", "--stop", "--force", service]);
    for (const entry of manifest.volumes.filter((candidate) => candidate.service === service)) await removeForRestore(`${plan.project}_${entry.volume}`);
    const containerId = await createServiceContainer(project, service);
    for (const entry of manifest.volumes.filter((candidate) => candidate.service === service)) {
      await writeDirectoryArchive(containerId, entry.path, createReadStream(join(dir, entry.file)));
      out.info(`restored ${service}: ${entry.volume}`);
    }
  }
  await runComposeOrFail(project, ["up", "-d", "--wait"]);
}

/**
 * A volume that is not there is created anew; one still in use would be restored into on top of what
 * it holds, so that stops the restore.
 */
async function removeForRestore(name: string): Promise<void> {
  try {
    await removeVolume(name);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return;
    throw new StackError(
      "COMPOSE_FAILED",
      `cannot remove volume ${name} to restore it: ${(error as Error).message}`,
      `remove what else uses it (\`docker ps -a --filter volume=${name}\`), then restore again`,
    );
  }
}
