import { defineConfig } from "vitest/config";

// The testbed (no registry) does not boot Grafana, Loki, Promtail, Alloy or k6, so the tests that
// need them are part of the suite only where the official images can be pulled.
const official = process.env.E2E_IMAGES === "official";

export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    exclude: official ? [] : ["test/e2e/official.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    // One stack, one engine: the e2e files must not run in parallel.
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
