import { describe, inject, it } from "vitest";
import { installRedisNote } from "./redis-server.js";

const isCi = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";

/** The Redis that test/support/global-setup.ts provides (or MAMI_TEST_REDIS_URL), if any. */
export const providedRedisUrl: string | undefined = inject("redisUrl") ?? (process.env.MAMI_TEST_REDIS_URL || undefined);

/**
 * Without a Redis the Redis tests cannot run. Locally that is a skip with a note; in CI it is a
 * failure, so that a broken CI setup cannot pass by skipping them.
 */
export function describeWhenRedisIs(available: boolean, name: string, body: () => void): void {
  if (available) {
    describe(name, body);
  } else if (isCi) {
    describe(name, () => {
      it("has a Redis to test against", () => {
        throw new Error(`No Redis in CI: ${installRedisNote}`);
      });
    });
  } else {
    console.warn(`Skipping "${name}": ${installRedisNote}.`);
    describe.skip(name, body);
  }
}

/** Tests against the provided Redis (see `describeWhenRedisIs`). */
export function describeWithRedis(name: string, body: (redisUrl: string) => void): void {
  describeWhenRedisIs(providedRedisUrl !== undefined, name, () => body(providedRedisUrl ?? ""));
}
