import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/golden/**/*.test.ts", "test/validate/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
