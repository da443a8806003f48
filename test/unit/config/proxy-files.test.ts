/**
 * The proxy's certificate and key: the schema checks their form only (it does no I/O), and loading
 * the config checks that they are files on this host, naming the field and the fix.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stackConfigSchema } from "../../../scripts/stack/config/schema.ts";
import { issuesOf, modelOf } from "../../helpers/parse.ts";

const dir = mkdtempSync(join(tmpdir(), "obs-proxy-files-"));
const cert = join(dir, "fullchain.pem");
const key = join(dir, "key.pem");
writeFileSync(cert, "cert");
writeFileSync(key, "key");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const withTls = (certFile: string, keyFile: string, enabled = true) => ({ components: { proxy: { enabled, tls: { certFile, keyFile } } } });

describe("the proxy's certificate files", () => {
  it("the schema is pure: it accepts well-formed paths whether or not the files exist", () => {
    expect(stackConfigSchema.safeParse(withTls("/nonexistent/obs/cert.pem", "/nonexistent/obs/key.pem")).success).toBe(true);
    // Its form checks stay in the schema.
    expect(stackConfigSchema.safeParse(withTls("relative.pem", key)).success).toBe(false);
  });

  it("loading refuses each missing file or directory at its own field, with a hint", () => {
    const issues = issuesOf(withTls(join(dir, "missing.pem"), dir));
    expect(issues).toEqual([
      { path: "components.proxy.tls.certFile", message: "does not exist", hint: expect.stringContaining("create the file") },
      { path: "components.proxy.tls.keyFile", message: "is not a file", hint: expect.stringContaining("PEM file itself") },
    ]);
    // On `up` as on `generate`.
    expect(issuesOf(withTls(cert, join(dir, "missing.pem")), { mode: "up", env: { PROXY_PASSWORD: "p", PROXY_OTLP_TOKEN: "t" } }).map((issue) => issue.path)).toContain(
      "components.proxy.tls.keyFile",
    );
  });

  it("existing files load; with the proxy off, nothing is mounted and nothing is checked", () => {
    expect(modelOf(withTls(cert, key)).config.components.proxy.tls).toEqual({ certFile: cert, keyFile: key });
    expect(modelOf(withTls("/nonexistent/obs/cert.pem", "/nonexistent/obs/key.pem", false)).enabled.proxy).toBe(false);
  });
});
