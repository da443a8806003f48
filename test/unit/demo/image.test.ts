import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_HEALTHCHECK_SCRIPT, DEMO_HEALTHCHECK_TEST } from "../../../demo/src/healthcheck.ts";
import { DEMO_DIR, sharedLibraries } from "../../testbed/demo-image.ts";
import { ltsProblem } from "./node-lts.ts";

const demoFile = (name: string) => readFileSync(join(DEMO_DIR, name), "utf8");
const today = () => new Date().toISOString().slice(0, 10);
const major = (version: string) => Number(/\d+/.exec(version)?.[0]);

describe("demo image base", () => {
  const bases = [...demoFile("Dockerfile").matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1]!);
  const pkg = JSON.parse(demoFile("package.json")) as { engines: { node: string }; devDependencies: Record<string, string> };
  const lock = JSON.parse(demoFile("package-lock.json")) as { packages: Record<string, { version?: string }> };
  const imageMajor = major(bases[0] ?? "");

  it("builds both stages on one exactly pinned node Alpine image", () => {
    expect(bases).toHaveLength(2);
    expect(new Set(bases).size).toBe(1);
    expect(bases[0]).toMatch(/^node:\d+\.\d+\.\d+-alpine\d+\.\d+$/);
  });

  it("is on a Node.js LTS line that is not past its end of life today", () => {
    // Fails on the day the line reaches end of life: move demo/Dockerfile to the current LTS.
    expect(ltsProblem(imageMajor, today())).toBeUndefined();
  });

  it("keeps engines and @types/node on the image's Node.js major", () => {
    expect(major(pkg.engines.node)).toBe(imageMajor);
    expect(major(pkg.devDependencies["@types/node"]!)).toBe(imageMajor);
    expect(lock.packages["node_modules/@types/node"]?.version).toBe(pkg.devDependencies["@types/node"]);
  });

  it("judges a line by its own dates", () => {
    expect(ltsProblem(20, "2026-11-29")).toMatch(/Node\.js 20 "Iron" reached end of life on 2026-04-30/);
    expect(ltsProblem(26, "2026-10-27")).toMatch(/only becomes LTS on 2026-10-28/);
    expect(ltsProblem(26, "2026-11-29")).toBeUndefined();
    expect(ltsProblem(25, "2026-11-29")).toMatch(/not an LTS line/);
  });
});

describe("demo container healthcheck", () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  async function serveLivez(status: number): Promise<number> {
    const server = createServer((request, response) => response.writeHead(request.url === "/livez" ? status : 404).end());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  function probe(port: number): Promise<number | null> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ["-e", DEMO_HEALTHCHECK_SCRIPT], { env: { PORT: String(port) }, stdio: "ignore" });
      child.on("exit", (code) => resolve(code));
    });
  }

  it("is exec-form and free of `$`, which Compose would interpolate", () => {
    expect(DEMO_HEALTHCHECK_TEST.slice(0, 3)).toEqual(["CMD", "node", "-e"]);
    expect(DEMO_HEALTHCHECK_SCRIPT).not.toContain("$");
  });

  it("passes only when /livez answers 2xx", async () => {
    expect(await probe(await serveLivez(200))).toBe(0);
    expect(await probe(await serveLivez(503))).toBe(1);
    const closed = await serveLivez(200);
    servers.pop()?.close();
    expect(await probe(closed)).toBe(1);
  });
});

describe("stand-in image libraries", () => {
  it("takes every absolute path ldd prints, the ELF interpreter included, and skips the vDSO", () => {
    const output = [
      "\tlinux-vdso.so.1 (0x00007ffd8a5f2000)",
      "\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f1c2a0b4000)",
      "\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f1c29e00000)",
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f1c2a0cc000)",
      "",
    ].join("\n");
    expect(sharedLibraries(output)).toEqual(["/lib/x86_64-linux-gnu/libdl.so.2", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/ld-linux-x86-64.so.2"]);
  });
});
