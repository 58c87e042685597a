import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/bench/**/*.bench.test.ts"],
    testTimeout: 600_000,
    fileParallelism: false,
  },
});
