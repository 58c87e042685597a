import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Starts a throwaway redis-server for the Redis store tests (or uses MAMI_TEST_REDIS_URL).
    globalSetup: ["test/support/global-setup.ts"],
    exclude: ["test/bench/**", "node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: more workers only make the network-heavy integration tests contend.
    maxWorkers: 2,
  },
});
