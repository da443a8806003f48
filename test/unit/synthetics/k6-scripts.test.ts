/**
 * The generated k6 scripts type-check against k6's own API types (@types/k6), in the environment k6
 * gives them (no Node globals), and a broken script is caught.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { renderK6Scripts } from "../../../scripts/stack/render/k6.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { modelOf } from "../../helpers/parse.ts";

const model = modelOf({
  services: [
    {
      name: "shop",
      url: "http://shop:8080",
      health: { live: "/livez", ready: "/readyz", detailed: "/health" },
      synthetics: {
        checks: [{ name: "checkout", method: "POST", path: "/api/checkout", body: "{}", expect: { status: 201, json: { "a.b": true, n: 1 }, bodyContains: ["ok"], bodyMatches: "o+k", maxDuration: "1s" } }],
        profiles: { peak: { stages: [{ duration: "10s", target: 5 }], thresholds: { p95: "300ms", p99: "1s", errorRate: 0.01 } } },
      },
    },
  ],
});

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function typeErrors(files: Array<[string, string]>): string[] {
  const dir = mkdtempSync(join(tmpdir(), "obs-k6-"));
  dirs.push(dir);
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const roots = files.filter(([path]) => !path.includes("/lib/")).map(([path]) => join(dir, path));
  const program = ts.createProgram(roots, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    types: ["k6"],
    typeRoots: [join(REPO_ROOT, "node_modules", "@types")],
    lib: ["lib.es2020.d.ts"],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("generated k6 scripts", () => {
  const files = renderK6Scripts(model);

  it("type-check against @types/k6 without Node's globals", () => {
    expect(files.map(([path]) => path)).toEqual(["k6/lib/summary.ts", "k6/lib/synthetics.ts", "k6/shop.ts"]);
    expect(typeErrors(files)).toEqual([]);
  });

  it("a script using the k6 API wrongly fails the check", () => {
    const broken = files.map(([path, text]): [string, string] => [path, path === "k6/shop.ts" ? `${text}\nimport http from "k6/http";\nhttp.get(42);\n` : text]);
    expect(typeErrors(broken).join("\n")).toMatch(/not assignable to parameter of type/);
  });
});
