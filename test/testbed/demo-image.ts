/**
 * The demo service's testbed image. The product image builds FROM the node Alpine image pinned in
 * demo/Dockerfile, which this machine cannot pull, so the stand-in is assembled FROM scratch around
 * the host's own node binary and the shared libraries `ldd` lists for it (at the same paths, so its
 * ELF interpreter and library search work unchanged), plus the very bundle the product image ships,
 * at /app/server.mjs. The host's node may be an older major than the image's (the bundle's esbuild
 * target in demo/build.mjs must stay at or below it), so a boot here proves the bundle, not the
 * image's Node.js release.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StackError } from "../../scripts/stack/errors.ts";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { buildImageFromDir, imageLabel } from "../../scripts/stack/runtime/docker.ts";
import { type BuiltImage, HASH_LABEL, place } from "./build-images.ts";
import { STAND_IN_PREFIX } from "./stand-ins.ts";

export const DEMO_DIR = join(REPO_ROOT, "demo");
const BUNDLE = join(DEMO_DIR, "dist", "server.mjs");
const NODE_BINARY = "/usr/bin/node";
/** The official node image's unprivileged user. */
const NODE_UID = "1000";

export function demoImageTag(): string {
  const { version } = JSON.parse(readFileSync(join(DEMO_DIR, "package.json"), "utf8")) as { version: string };
  return `${STAND_IN_PREFIX}/demo:${version}`;
}

function npm(args: string[]): void {
  const result = spawnSync("npm", args, { cwd: DEMO_DIR, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
    throw new StackError("TOOL_UNAVAILABLE", `npm ${args.join(" ")} in demo/ failed (exit ${result.status ?? result.signal}):\n${output}`, "run it by hand in demo/ to see the whole error; npm ci needs the npm registry");
  }
}

function newestMtime(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/** Installs and bundles only when an input is newer than what is already there. */
export function ensureDemoBundle(): string {
  const lock = join(DEMO_DIR, "package-lock.json");
  const installed = join(DEMO_DIR, "node_modules", ".package-lock.json");
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) npm(["ci", "--no-audit", "--no-fund"]);
  const inputs = [join(DEMO_DIR, "src"), join(DEMO_DIR, "build.mjs"), join(DEMO_DIR, "package.json"), installed];
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < Math.max(...inputs.map(newestMtime))) npm(["run", "build"]);
  return BUNDLE;
}

/** Absolute paths of the shared objects a dynamically linked binary loads, its ELF interpreter included. */
export function sharedLibraries(lddOutput: string): string[] {
  return lddOutput.split("\n").flatMap((line) => /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line)?.[1] ?? []);
}

function ldd(binary: string): string[] {
  const result = spawnSync("ldd", [binary], { encoding: "utf8" });
  if (result.status !== 0) throw new StackError("TOOL_UNAVAILABLE", `ldd ${binary} failed: ${result.stderr.trim()}`, "the demo stand-in needs a dynamically linked node at /usr/bin/node and ldd (libc-bin)");
  return sharedLibraries(result.stdout);
}

function dockerfile(hash: string): string {
  return [
    "FROM scratch",
    "COPY rootfs/ /",
    `LABEL ${HASH_LABEL}="${hash}"`,
    "ENV PATH=/usr/local/bin:/usr/bin:/bin NODE_ENV=production",
    "WORKDIR /app",
    "USER node",
    "EXPOSE 8080",
    'ENTRYPOINT ["node", "/app/server.mjs"]',
    "",
  ].join("\n");
}

function inputsHash(bundle: string, binaries: string[]): string {
  const hash = createHash("sha256").update(dockerfile("")).update(readFileSync(bundle));
  for (const binary of binaries) {
    const stats = statSync(binary);
    hash.update(`${binary}:${stats.size}:${stats.mtimeMs}`);
  }
  return hash.digest("hex").slice(0, 16);
}

export async function buildDemoImage(): Promise<BuiltImage> {
  const started = Date.now();
  const tag = demoImageTag();
  const bundle = ensureDemoBundle();
  const binaries = [NODE_BINARY, ...ldd(NODE_BINARY)];
  const hash = inputsHash(bundle, binaries);
  if ((await imageLabel(tag, HASH_LABEL)) === hash) return { tag, rebuilt: false, seconds: 0 };

  const context = mkdtempSync(join(tmpdir(), "obs-testbed-demo-"));
  try {
    const rootfs = join(context, "rootfs");
    for (const binary of binaries) place(binary, join(rootfs, binary), 0o755);
    place(bundle, join(rootfs, "app", "server.mjs"), 0o644);
    mkdirSync(join(rootfs, "tmp"), { recursive: true });
    chmodSync(join(rootfs, "tmp"), 0o1777);
    mkdirSync(join(rootfs, "home", "node"), { recursive: true });
    mkdirSync(join(rootfs, "etc"), { recursive: true });
    // glibc resolves names through these; without nsswitch.conf it would skip /etc/hosts first.
    writeFileSync(join(rootfs, "etc", "nsswitch.conf"), "hosts: files dns\n");
    writeFileSync(
      join(rootfs, "etc", "passwd"),
      `root:x:0:0:root:/root:/sbin/nologin\nnode:x:${NODE_UID}:${NODE_UID}:node:/home/node:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n`,
    );
    writeFileSync(join(rootfs, "etc", "group"), `root:x:0:\nnode:x:${NODE_UID}:\nnogroup:x:65534:\n`);
    writeFileSync(join(context, "Dockerfile"), dockerfile(hash));
    await buildImageFromDir(context, ["Dockerfile", "rootfs"], tag);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  return { tag, rebuilt: true, seconds: (Date.now() - started) / 1000 };
}
