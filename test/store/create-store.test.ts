import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../../src/core/ports/logger.js";
import { createKeyValueStore } from "../../src/store/create-store.js";
import { parseStoreUrl } from "../../src/store/store-url.js";
import { describeWhenRedisIs, describeWithRedis } from "../support/redis-available.js";
import { findFreePort, isRedisServerInstalled, startRedisServer } from "../support/redis-server.js";
import { runStoreChildProcess } from "./fixtures/run-store-child-process.js";
import { describeKeyValueStoreContract } from "./store-contract.js";

let temporaryFolder: string;
beforeAll(async () => {
  temporaryFolder = await mkdtemp(path.join(os.tmpdir(), "mami-store-test-"));
});
afterAll(async () => {
  await rm(temporaryFolder, { recursive: true, force: true });
});

describeKeyValueStoreContract("memory://", () => createKeyValueStore("memory://"));

describeKeyValueStoreContract("sqlite://", () =>
  createKeyValueStore(`sqlite://${path.join(temporaryFolder, `contract-${randomUUID()}.sqlite`)}`),
);

describe("sqlite:// file", () => {
  it("creates the parent folders, and a new process reads what another process wrote", async () => {
    const workingDirectory = path.join(temporaryFolder, `restart-${randomUUID()}`);
    await mkdir(workingDirectory);
    const storeUrl = "sqlite://nested/folder/mami.sqlite"; // Relative: resolved against the working directory.
    const value = { turns: [{ role: "user", content: "remember me" }], count: 1 };

    await runStoreChildProcess({ storeUrl, action: "set", namespace: "history", key: "chat:1", value, workingDirectory });
    expect((await stat(path.join(workingDirectory, "nested/folder/mami.sqlite"))).isFile()).toBe(true);

    const printed = await runStoreChildProcess({ storeUrl, action: "get", namespace: "history", key: "chat:1", workingDirectory });
    expect(JSON.parse(printed)).toEqual(value);
  });

  it("rejects with a message naming STORE_URL when the file cannot be opened", async () => {
    await expect(createKeyValueStore(`sqlite://${temporaryFolder}`)).rejects.toThrow(/Could not open the SQLite store at .* \(from STORE_URL\)/);

    const aFile = path.join(temporaryFolder, `not-a-folder-${randomUUID()}`);
    await writeFile(aFile, "");
    await expect(createKeyValueStore(`sqlite://${aFile}/mami.sqlite`)).rejects.toThrow(/STORE_URL/);
  });
});

describe("STORE_URL parsing", () => {
  it.each(["", "bogus", "postgres://localhost/mami", "sqlite://", "sqlite:data.sqlite", "memory:", "redis://", "redis://localhost:6379/zero", "redis://localhost:6379/0?tls=1", "http://localhost:6379"])(
    "rejects %j, naming STORE_URL and the accepted forms",
    async (url) => {
      const rejection = createKeyValueStore(url);
      await expect(rejection).rejects.toThrow(/STORE_URL/);
      await expect(rejection).rejects.toThrow(/sqlite:\/\/PATH.*memory:\/\/.*redis:\/\/HOST:PORT\[\/DB\].*rediss:\/\//);
    },
  );

  it("keeps a password out of the message", async () => {
    await expect(createKeyValueStore("redis://user:hunter2@localhost:6379/abc")).rejects.toThrow(/redis:\/\/\*\*\*@localhost/);
    await expect(createKeyValueStore("redis://user:hunter2@localhost:6379/abc")).rejects.not.toThrow(/hunter2/);
  });

  it("resolves a relative sqlite path against the working directory, and keeps an absolute one", () => {
    expect(parseStoreUrl("sqlite://data/mami.sqlite")).toEqual({ kind: "sqlite", filePath: path.resolve("data/mami.sqlite") });
    expect(parseStoreUrl("sqlite:///var/lib/mami.sqlite")).toEqual({ kind: "sqlite", filePath: "/var/lib/mami.sqlite" });
  });

  it("accepts redis and rediss URLs with an optional database number", () => {
    expect(parseStoreUrl("redis://cache:6380/2")).toMatchObject({ kind: "redis", displayName: "redis://cache:6380/2" });
    expect(parseStoreUrl("rediss://:secret@cache.example")).toMatchObject({ kind: "redis", displayName: "rediss://cache.example:6379" });
  });
});

// ---------------------------------------------------------------------------------------------
// Redis: against the server that test/support/global-setup.ts provides (or MAMI_TEST_REDIS_URL).

describeWithRedis("redis://", (redisUrl) => {

  describeKeyValueStoreContract("redis://", () => createKeyValueStore(redisUrl));

  it("keeps databases apart", async () => {
    const databaseThree = new URL(redisUrl);
    databaseThree.pathname = "/3";
    const databaseFour = new URL(redisUrl);
    databaseFour.pathname = "/4";
    const storeInThree = await createKeyValueStore(databaseThree.href);
    const storeInFour = await createKeyValueStore(databaseFour.href);
    try {
      const key = `database-${randomUUID()}`;
      await storeInThree.set("settings", key, "three");
      expect(await storeInThree.get("settings", key)).toBe("three");
      expect(await storeInFour.get("settings", key)).toBeUndefined();
    } finally {
      await storeInThree.close();
      await storeInFour.close();
    }
  });

  it("lets a process exit after close(), and another process reads what it wrote", async () => {
    const key = `child-${randomUUID()}`;
    await runStoreChildProcess({ storeUrl: redisUrl, action: "set", namespace: "model-state", key, value: { cooling: ["model-a"] } });
    const store = await createKeyValueStore(redisUrl);
    try {
      expect(await store.get("model-state", key)).toEqual({ cooling: ["model-a"] });
    } finally {
      await store.close();
    }
  });
});

describeWhenRedisIs(isRedisServerInstalled(), "redis:// outages (a redis-server of this test's own)", () => {
  it("rejects at startup, naming STORE_URL, when nothing listens", async () => {
    const unusedPort = await findFreePort();
    const started = Date.now();
    await expect(createKeyValueStore(`redis://127.0.0.1:${unusedPort}`)).rejects.toThrow(
      `Could not connect to Redis at redis://127.0.0.1:${unusedPort} (from STORE_URL)`,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("fails operations quickly while Redis is down, does not crash, and recovers when it is back", async () => {
    const server = await startRedisServer();
    const logger = new RecordingLogger();
    const store = await createKeyValueStore(server.url, { logger });
    let restarted: Awaited<ReturnType<typeof startRedisServer>> | undefined;
    try {
      await store.set("usage", "tokens", 1);
      await server.stop();

      const failedAt = Date.now();
      await expect(store.get("usage", "tokens")).rejects.toThrow(/Key-value store \(redis .*\) could not get usage\/tokens/);
      await expect(store.set("usage", "tokens", 2)).rejects.toThrow(/could not set usage\/tokens/);
      expect(Date.now() - failedAt).toBeLessThan(2_000);

      restarted = await startRedisServer(server.port);
      await waitUntil(async () => {
        try {
          await store.set("usage", "tokens", 3);
          return true;
        } catch {
          return false;
        }
      }, 15_000);
      expect(await store.get("usage", "tokens")).toBe(3);
      expect(logger.messages("warn")).toEqual(["Redis is unreachable; store operations fail until it is back"]);
      expect(logger.messages("info")).toEqual(["Redis is reachable again"]);
    } finally {
      await store.close();
      await restarted?.stop();
      await server.stop();
    }
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}

class RecordingLogger implements Logger {
  readonly entries: { level: string; message: string }[] = [];

  debug(_fields: object, message: string): void {
    this.entries.push({ level: "debug", message });
  }
  info(_fields: object, message: string): void {
    this.entries.push({ level: "info", message });
  }
  warn(_fields: object, message: string): void {
    this.entries.push({ level: "warn", message });
  }
  error(_fields: object, message: string): void {
    this.entries.push({ level: "error", message });
  }
  child(): Logger {
    return this;
  }
  messages(level: string): string[] {
    return this.entries.filter((entry) => entry.level === level).map((entry) => entry.message);
  }
}
