import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_HEALTHCHECK_SCRIPT, DEMO_HEALTHCHECK_TEST } from "../../../demo/src/healthcheck.ts";
import { sharedLibraries } from "../../testbed/demo-image.ts";

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
