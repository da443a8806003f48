/**
 * Assembles each stand-in image FROM scratch: the Go-built binary, busybox applets where the
 * official image has a shell, data directories owned by the image's user. No RUN steps, no pull.
 * An image whose inputs are unchanged (same hash label) is not rebuilt.
 */
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildImageFromDir, imageLabel } from "../../scripts/stack/runtime/docker.ts";
import { standInTag, type StandIn } from "./stand-ins.ts";

export const HASH_LABEL = "io.obs-stack.testbed.hash";
export const BUSYBOX = "/bin/busybox";

export interface BuiltImage {
  tag: string;
  rebuilt: boolean;
  seconds: number;
}

function dockerfile(standIn: StandIn, hash: string): string {
  const lines = [
    "FROM scratch",
    "COPY rootfs/ /",
    ...(standIn.ownedDirs.length > 0 ? [`COPY --chown=${standIn.user}:${standIn.user} owned/ /`] : []),
    `LABEL ${HASH_LABEL}="${hash}"`,
    `USER ${standIn.user}`,
    ...(standIn.workdir ? [`WORKDIR ${standIn.workdir}`] : []),
    `ENTRYPOINT ${JSON.stringify(standIn.entrypoint)}`,
    ...(standIn.cmd ? [`CMD ${JSON.stringify(standIn.cmd)}`] : []),
  ];
  return `${lines.join("\n")}\n`;
}

function inputsHash(standIn: StandIn, binDir: string): string {
  const hash = createHash("sha256").update(JSON.stringify(standIn));
  for (const name of Object.keys(standIn.binaries).sort()) {
    const stats = statSync(join(binDir, name));
    hash.update(`${name}:${stats.size}:${stats.mtimeMs}`);
  }
  return hash.digest("hex").slice(0, 16);
}

export async function buildStandIn(standIn: StandIn, binDir: string): Promise<BuiltImage> {
  const started = Date.now();
  const tag = standInTag(standIn);
  const hash = inputsHash(standIn, binDir);
  if ((await imageLabel(tag, HASH_LABEL)) === hash) return { tag, rebuilt: false, seconds: 0 };

  const context = mkdtempSync(join(tmpdir(), `obs-testbed-${standIn.image}-`));
  try {
    const rootfs = join(context, "rootfs");
    for (const [binary, target] of Object.entries(standIn.binaries)) place(join(binDir, binary), join(rootfs, target), 0o755);
    if (standIn.busybox.length > 0) {
      place(BUSYBOX, join(rootfs, "bin", "busybox"), 0o755);
      for (const applet of standIn.busybox) symlinkSync("busybox", join(rootfs, "bin", applet));
    }
    for (const dir of standIn.dirs ?? []) mkdirSync(join(rootfs, dir), { recursive: true });
    mkdirSync(join(rootfs, "tmp"), { recursive: true });
    chmodSync(join(rootfs, "tmp"), 0o1777);
    // Go's net package reads these; a scratch image has neither.
    mkdirSync(join(rootfs, "etc"), { recursive: true });
    writeFileSync(join(rootfs, "etc", "nsswitch.conf"), "hosts: files dns\n");
    const appUser = ["0", "65534"].includes(standIn.user) ? "" : `app:x:${standIn.user}:${standIn.user}::/tmp:/bin/false\n`;
    writeFileSync(join(rootfs, "etc", "passwd"), `root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n${appUser}`);
    const entries = ["Dockerfile", "rootfs"];
    if (standIn.ownedDirs.length > 0) {
      for (const dir of standIn.ownedDirs) mkdirSync(join(context, "owned", dir), { recursive: true });
      entries.push("owned");
    }
    writeFileSync(join(context, "Dockerfile"), dockerfile(standIn, hash));
    await buildImageFromDir(context, entries, tag);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  return { tag, rebuilt: true, seconds: (Date.now() - started) / 1000 };
}

export function place(source: string, target: string, mode: number): void {
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  chmodSync(target, mode);
}

