/** No build file of this repository names a forbidden (AGPL) Go module, and the guard can fail. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCK_FILES, findInBuildFiles, findInModuleCache, unlicensedPackages } from "../../../scripts/check-licences.ts";
import { forbiddenModuleIn } from "../../../scripts/stack/catalog/forbidden-modules.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { tempProject } from "../../helpers/temp-project.ts";

describe("forbidden Go modules", () => {
  it("no build script, go.mod, Go source, manifest or CI step of the repository names one", () => {
    expect(findInBuildFiles(REPO_ROOT).map(({ where, module }) => `${where}: ${module.path}`)).toEqual([]);
  });

  it.each([
    ["require github.com/grafana/loki/v3 v3.7.8", "github.com/grafana/loki"],
    ["go install go.k6.io/k6/v2@v2.2.0", "go.k6.io/k6"],
    ['MODULE="go.k6.io/k6"', "go.k6.io/k6"],
    ["github.com/grafana/grafana/apps/dashboard v0.0.0", "github.com/grafana/grafana"],
    ["go mod download github.com/grafana/grafana@v1.9.2-0.2023", "github.com/grafana/grafana"],
    ["  - gomod: github.com/grafana/tempo v2.8.0", "github.com/grafana/tempo"],
    ["MODULE=github.com/grafana/alloy; MODVER=v1.15.1", "github.com/grafana/alloy"],
    ["git clone https://github.com/grafana/loki.git", "github.com/grafana/loki"],
    ["curl https://codeload.github.com/grafana/tempo/tar.gz/v2.8.0", "github.com/grafana/tempo"],
    ["go get GitHub.com/Grafana/Loki/v3", "github.com/grafana/loki"],
    ["go install go.k6.io/k6@latest # k6", "go.k6.io/k6"],
  ])("names %s as %s", (text, path) => {
    expect(forbiddenModuleIn(text)?.path).toBe(path);
  });

  it.each([
    "github.com/grafana/grafana-foundation-sdk/go v0.0.22",
    "@grafana/lezer-logql",
    "grafana/loki:3.7.8",
    "github.com/grafana/loki-client-go",
    "my-github.com/grafana/lokibased",
    "go.k6.io/k6x",
  ])("does not flag %s", (text) => {
    expect(forbiddenModuleIn(text)).toBeUndefined();
  });

  it("finds a forbidden module in a build script, a go.mod and a CI step, and not in prose", () => {
    const root = tempProject({
      "test/testbed/build.sh": "go build github.com/grafana/loki/v3/cmd/loki\n",
      "tools/x/go.mod": "module x\n\nrequire go.k6.io/k6 v1.0.0\n",
      ".ci/run": "go install github.com/grafana/tempo/cmd/tempo@latest\n",
      "docs/licences.md": "We never build github.com/grafana/loki/v3.\n",
      "README.md": "Loki (github.com/grafana/loki) is AGPL.\n",
      "bench/fetch": "#!/bin/sh\ngit clone https://github.com/grafana/grafana\n",
    });
    expect(findInBuildFiles(root).map(({ where }) => where).sort()).toEqual([".ci/run", "bench/fetch", "test/testbed/build.sh", "tools/x/go.mod"]);
  });

  it("finds a forbidden module in a Go module cache", () => {
    const cache = tempProject({ "cache/download/github.com/prometheus/prometheus/@v/list": "v0.316.0\n" });
    expect(findInModuleCache(cache)).toEqual([]);
    mkdirSync(join(cache, "cache", "download", "github.com", "grafana", "loki", "v3", "@v"), { recursive: true });
    writeFileSync(join(cache, "cache", "download", "github.com", "grafana", "loki", "v3", "@v", "list"), "v3.7.8\n");
    expect(findInModuleCache(cache).map(({ module }) => module.path)).toEqual(["github.com/grafana/loki"]);
  });
});

describe("npm dependency licences", () => {
  it.each(LOCK_FILES)("every package in %s is permissively licensed (MPL-2.0 only for dev tools)", (file) => {
    expect(unlicensedPackages(join(REPO_ROOT, file))).toEqual([]);
  });

  it("flags a copyleft or undeclared licence, and MPL-2.0 outside dev tools", () => {
    const root = tempProject({
      "package-lock.json": JSON.stringify({
        packages: {
          "": {},
          "node_modules/ok": { version: "1.0.0", license: "MIT" },
          "node_modules/gpl": { version: "2.0.0", license: "GPL-3.0-only" },
          "node_modules/mpl-dev": { version: "1.0.0", license: "MPL-2.0", dev: true },
          "node_modules/mpl-prod": { version: "1.0.0", license: "MPL-2.0" },
          "node_modules/old": { version: "0.1.0" },
          "node_modules/none": { version: "0.1.0" },
        },
      }),
      "node_modules/old/package.json": JSON.stringify({ licenses: [{ type: "BSD-3-Clause" }] }),
    });
    expect(unlicensedPackages(join(root, "package-lock.json"))).toEqual([
      "node_modules/gpl@2.0.0: GPL-3.0-only",
      "node_modules/mpl-prod@1.0.0: MPL-2.0",
      "node_modules/none@0.1.0: no licence declared",
    ]);
  });
});
