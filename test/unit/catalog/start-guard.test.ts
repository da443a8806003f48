/**
 * The start guard (catalog/start-guard.ts): the floors, the Compose escaping (through the pinned
 * Compose), and the script itself run by real shells: with a stand-in `df` on PATH for the
 * numbers, and on a real, really full tmpfs as PID 1 of a PID namespace, like a container's
 * entrypoint (root only: mount and unshare need it; busybox's sh runs its own df, the images' one).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { definitionOf } from "../../../scripts/stack/catalog/components.ts";
import { JAEGER_START_GUARD } from "../../../scripts/stack/catalog/components/jaeger.ts";
import { PROMETHEUS_START_GUARD } from "../../../scripts/stack/catalog/components/prometheus.ts";
import { GUARD_TOOLS, guardedEntrypoint, startGuardScript, type StartGuard } from "../../../scripts/stack/catalog/start-guard.ts";
import { cachedToolPath } from "../../../scripts/stack/runtime/tool-resolver.ts";
import { BUSYBOX } from "../../testbed/build-images.ts";
import { STAND_INS } from "../../testbed/stand-ins.ts";
import { modelOf } from "../../helpers/parse.ts";

const MIB = 1024;
const GUARDED = { prometheus: PROMETHEUS_START_GUARD, jaeger: JAEGER_START_GUARD } as const;
/** Arguments that would change if anything between the guard and the binary split, expanded or globbed them. */
const ARGS = ["%s|", "--config.file=/etc/x.yml", "two words", "$HOME", "*", ""];
const PRINTED = "--config.file=/etc/x.yml|two words|$HOME|*||";

const scratch = mkdtempSync(join(tmpdir(), "obs-start-guard-"));
const mounts: string[] = [];
afterAll(() => {
  for (const mount of mounts) spawnSync("umount", [mount]);
  rmSync(scratch, { recursive: true, force: true });
});

describe("the guard's definition", () => {
  it.each(Object.entries(GUARDED))("%s's entrypoint is the guard, exec'ing the binary its official image and its stand-in run", (name, guard) => {
    const { entrypoint, volumes } = definitionOf(name as keyof typeof GUARDED).container;
    expect(entrypoint).toEqual(guardedEntrypoint(guard));
    expect(entrypoint!.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(entrypoint![3]).toBe(guard.binary);
    expect(volumes).toContain(guard.volume);
    const standIn = STAND_INS.find((candidate) => candidate.image === name)!;
    expect(standIn.entrypoint).toEqual([guard.binary]);
    expect(standIn.busybox).toEqual(expect.arrayContaining([...GUARD_TOOLS]));
  });

  it("every `$` reaches Compose escaped", () => {
    const [, , escaped] = guardedEntrypoint(PROMETHEUS_START_GUARD);
    expect(escaped!.replaceAll("$$", "")).not.toContain("$");
    expect(escaped!.replaceAll("$$", "$")).toBe(startGuardScript(PROMETHEUS_START_GUARD));
  });

  it("refuses a volume that is not a named one", () => {
    expect(() => startGuardScript({ ...PROMETHEUS_START_GUARD, volume: "./data:/prometheus" })).toThrow(/no named volume/);
  });

  // The e2e tests prove what runs in the container; here, that Compose reads the script whole and
  // keeps the command after it (its `config` writes each `$` back escaped).
  it("the pinned Compose reads the rendered entrypoint whole, with the command after it", (context) => {
    const compose = cachedToolPath("compose");
    if (!existsSync(compose)) {
      if (process.env.CI === "true") throw new Error(`CI=true requires docker-compose at ${compose} (run \`npm run tools\`)`);
      context.skip(`docker-compose is not built at ${compose} (run \`npm run tools\`)`);
    }
    const dir = mkdtempSync(join(scratch, "bundle-"));
    const text = renderBundle(modelOf({})).get("compose.yaml")!;
    writeFileSync(join(dir, "compose.yaml"), text);
    const rendered = parse(text) as { services: Record<string, { command: string[] }> };
    const run = spawnSync(compose, ["-f", join(dir, "compose.yaml"), "config", "--format", "json"], { encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(run.status, run.stderr).toBe(0);
    const services = (JSON.parse(run.stdout) as { services: Record<string, { entrypoint: string[]; command: string[] }> }).services;
    for (const [name, guard] of Object.entries(GUARDED)) {
      expect(services[name]!.entrypoint).toEqual(guardedEntrypoint(guard));
      expect(services[name]!.command).toEqual(rendered.services[name]!.command);
    }
  });
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stdout: () => stdout, stderr: () => stderr, exit: new Promise((resolve) => child.on("close", (code) => resolve(code))) };
}

async function until(what: string, seconds: number, check: () => boolean): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > seconds * 1000) throw new Error(`timed out after ${seconds}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return (Date.now() - started) / 1000;
}

/** Still running `ms` from now. */
async function stillRunning(guarded: Run, ms: number): Promise<boolean> {
  const exited = await Promise.race([guarded.exit.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), ms))]);
  return !exited;
}

describe("the script, with a stand-in df on PATH (dash)", () => {
  const bin = join(scratch, "bin");
  mkdirSync(bin);
  // FAKE_DF is "SIZE AVAILABLE" in KiB, or "fail". A device name with a space, as df -P allows.
  writeFileSync(
    join(bin, "df"),
    '#!/bin/sh\n[ "$FAKE_DF" != fail ] || exit 1\nprintf \'Filesystem 1024-blocks Used Available Capacity Mounted on\\nfake device %s 0 %s 0%% %s\\n\' $FAKE_DF "$2"\n',
  );
  chmodSync(join(bin, "df"), 0o755);
  const guarded = (fakeDf: string, guard: StartGuard = PROMETHEUS_START_GUARD) =>
    run("/bin/sh", ["-c", startGuardScript({ ...guard, binary: "printf" }), "printf", ...ARGS], { PATH: `${bin}:${process.env.PATH}`, FAKE_DF: fakeDf });

  it("with room, execs the binary at once with its arguments unchanged, saying nothing", async () => {
    const started = guarded(`${100 * MIB * MIB} ${300 * MIB}`);
    expect(await started.exit).toBe(0);
    expect(started.stdout()).toBe(PRINTED);
    expect(started.stderr()).toBe("");
  });

  it("where df fails, starts rather than block a start it cannot judge", async () => {
    const started = guarded("fail");
    expect(await started.exit).toBe(0);
    expect(started.stdout()).toBe(PRINTED);
  });

  it.each(Object.entries(GUARDED).map(([name, guard]) => [name, guard.floorMiB, guard] as const))(
    "%s's floor on a large volume is its own, %i MiB: a KiB less waits, that much starts",
    async (_, floorMiB, guard) => {
      const below = guarded(`${100 * MIB * MIB} ${floorMiB * MIB - 1}`, guard);
      try {
        await until("the guard's line", 5, () => below.stderr().includes("\n"));
        expect(below.stderr()).toContain(`below the ${floorMiB}.0 MiB it needs`);
      } finally {
        below.child.kill("SIGKILL");
      }
      const at = guarded(`${100 * MIB * MIB} ${floorMiB * MIB}`, guard);
      expect(await at.exit).toBe(0);
      expect(at.stderr()).toBe("");
    },
  );

  it("on a small volume the floor is 5% of it: 7 MiB free of 128 starts, 6 MiB free waits with one line naming the volume, the numbers and the fix", async () => {
    const started = guarded(`${128 * MIB} ${7 * MIB}`);
    expect(await started.exit).toBe(0);
    const waiting = guarded(`${128 * MIB} ${6 * MIB}`);
    try {
      await until("the guard's line", 5, () => waiting.stderr().includes("\n"));
      expect(await stillRunning(waiting, 500)).toBe(true);
      expect(waiting.stderr()).toBe(
        "printf: not starting yet: volume prometheus-data (/prometheus) has 6.0 MiB free, below the 6.3 MiB it needs to start without crashing; free space on the volume or grow it (docs/runbooks/volume-full.md). Checking again every 10s.\n",
      );
      expect(waiting.stdout()).toBe("");
    } finally {
      waiting.child.kill("SIGKILL");
    }
  });
});

const isRoot = process.getuid?.() === 0;
const SHELLS: Array<[string, string[]]> = [["dash", ["/bin/sh"]], ...(existsSync(BUSYBOX) ? ([["busybox sh", [BUSYBOX, "sh"]]] as Array<[string, string[]]>) : [])];

/** A 64 MiB tmpfs of its own: the floor there is 5%, 3 MiB. */
function smallVolume(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  const mount = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64m", "tmpfs", dir], { encoding: "utf8" });
  if (mount.status !== 0) throw new Error(`mount: ${mount.stderr}`);
  mounts.push(dir);
  return dir;
}

function fill(dir: string): string {
  const filler = join(dir, "filler");
  const { bavail, bsize } = statfsSync(dir);
  const fallocate = spawnSync("fallocate", ["-l", String(bavail * bsize), filler], { encoding: "utf8" });
  if (fallocate.status !== 0) throw new Error(`fallocate: ${fallocate.stderr}`);
  return filler;
}

/** The guard as PID 1 of a new PID namespace, as in a container: signals it does not trap never reach it. */
function asInit(shell: string[], dir: string): Run {
  return run("unshare", ["--pid", "--fork", "--kill-child", ...shell, "-c", startGuardScript({ ...PROMETHEUS_START_GUARD, volume: `prometheus-data:${dir}`, binary: "printf" }), "printf", ...ARGS]);
}

/** The host PID of unshare's child, PID 1 inside. */
function initPid(unshare: Run): number {
  const pid = unshare.child.pid!;
  return Number(readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim());
}

/** Locally a non-root run skips these (saying why); under CI=true they must run, so a non-root CI fails here. */
describe.skipIf(!isRoot && process.env.CI !== "true")(`the script on a real full tmpfs, as PID 1${isRoot ? "" : " (skipped: needs root for mount, fallocate and unshare)"}`, () => {
  beforeAll(() => {
    if (!isRoot) throw new Error("CI=true requires root for the real-tmpfs start-guard tests (mount, fallocate, unshare)");
  });

  it.concurrent.each(SHELLS)("%s: waits while full, says so once, and execs the binary unchanged within a re-check once there is room", async (name, shell) => {
    const dir = smallVolume(`wait-${name.replace(" ", "-")}`);
    const filler = fill(dir);
    const guarded = asInit(shell, dir);
    try {
      await until("the guard's line", 5, () => guarded.stderr().includes("\n"));
      expect(guarded.stderr()).toMatch(/^printf: not starting yet: volume prometheus-data \(.*\) has 0\.\d MiB free, below the 3\.1 MiB it needs to start without crashing; free space on the volume or grow it/);
      expect(await stillRunning(guarded, 1000)).toBe(true);
      // `up` reloads with SIGHUP: the wait goes on.
      process.kill(initPid(guarded), "SIGHUP");
      expect(await stillRunning(guarded, 1000)).toBe(true);
      expect(guarded.stderr().split("\n")).toHaveLength(2);
      rmSync(filler);
      const freed = Date.now();
      expect(await guarded.exit).toBe(0);
      expect((Date.now() - freed) / 1000).toBeLessThan(11);
      expect(guarded.stdout()).toBe(PRINTED);
      expect(guarded.stderr()).toMatch(/\nprintf: volume prometheus-data has 6\d\.\d MiB free again: starting\n$/);
    } finally {
      guarded.child.kill("SIGKILL");
    }
  });

  it.concurrent.each(SHELLS)("%s: SIGTERM (docker stop) ends the wait at once", async (name, shell) => {
    const dir = smallVolume(`term-${name.replace(" ", "-")}`);
    fill(dir);
    const guarded = asInit(shell, dir);
    try {
      await until("the guard's line", 5, () => guarded.stderr().includes("\n"));
      const sent = Date.now();
      process.kill(initPid(guarded), "SIGTERM");
      expect(await Promise.race([guarded.exit, new Promise((resolve) => setTimeout(() => resolve("still waiting after 3s"), 3000))])).toBe(143);
      expect((Date.now() - sent) / 1000).toBeLessThan(1);
      expect(guarded.stdout()).toBe("");
    } finally {
      guarded.child.kill("SIGKILL");
    }
  });
});
