import type { TestProject } from "vitest/node";
import { installRedisNote, isRedisServerInstalled, startRedisServer } from "./redis-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Redis the tests may use; absent when there is none (see test/store). */
    redisUrl?: string;
  }
}

/**
 * One Redis for the whole run: MAMI_TEST_REDIS_URL when set (CI starts its own), otherwise a
 * redis-server started here on a free port and stopped at teardown. Tests read it with
 * `inject("redisUrl")`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configuredUrl = process.env.MAMI_TEST_REDIS_URL;
  if (configuredUrl !== undefined && configuredUrl !== "") {
    project.provide("redisUrl", configuredUrl);
    return async () => undefined;
  }
  if (!isRedisServerInstalled()) {
    console.warn(`No Redis for the tests: ${installRedisNote}.`);
    return async () => undefined;
  }
  const server = await startRedisServer();
  project.provide("redisUrl", server.url);
  return () => server.stop();
}
