import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    // One stack, one engine: the e2e files must not run in parallel.
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
