import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import sqlite3 from "sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteBackEnd } from "../../src/store/sqlite-back-end.js";
import { KeyvKeyValueStore } from "../../src/store/keyv-key-value-store.js";
import { recordingLogger, type LoggedLine } from "../support/recording-logger.js";

let temporaryFolder: string;
beforeAll(async () => {
  temporaryFolder = await mkdtemp(path.join(os.tmpdir(), "mami-purge-test-"));
});
afterAll(async () => {
  await rm(temporaryFolder, { recursive: true, force: true });
});

const freshFile = (): string => path.join(temporaryFolder, `purge-${randomUUID()}.sqlite`);

/** Runs SQL on the file through a connection of its own, as an operator's sqlite3 shell would. */
async function onFile<Row>(filePath: string, sql: string, ...parameters: unknown[]): Promise<Row[]> {
  const database = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened: sqlite3.Database = new sqlite3.Database(filePath, (error) => (error === null ? resolve(opened) : reject(error)));
  });
  try {
    return await new Promise<Row[]>((resolve, reject) => {
      database.all<Row>(sql, parameters, (error, rows) => (error === null ? resolve(rows) : reject(error)));
    });
  } finally {
    await new Promise<void>((resolve, reject) => database.close((error) => (error === null ? resolve() : reject(error))));
  }
}

async function keysInFile(filePath: string): Promise<string[]> {
  const rows = await onFile<{ key: string }>(filePath, "SELECT key FROM keyv ORDER BY key");
  return rows.map((row) => row.key);
}

async function waitUntil(condition: () => Promise<boolean>, description: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${description}`);
    await sleep(20);
  }
}

/** A long interval: in these tests only the purge at start and the ones called run, unless said otherwise. */
const hourMs = 60 * 60_000;

describe.each([
  { how: "with SQLite's JSON functions", sqlJson: true },
  { how: "parsing rows in JavaScript (no JSON1)", sqlJson: false },
  { how: "probing for JSON functions", sqlJson: undefined },
])("SQLite expiry purge, $how", ({ sqlJson }) => {
  const purgeOptions = { intervalMs: hourMs, ...(sqlJson === undefined ? {} : { sqlJson }) };

  it("deletes the rows whose expiry has passed and keeps the others", async () => {
    const filePath = freshFile();
    const logs: LoggedLine[] = [];
    const backEnd = await createSqliteBackEnd(filePath, recordingLogger(logs), purgeOptions);
    const store = new KeyvKeyValueStore(backEnd, false);
    try {
      // The purge at start has nothing to do yet; let it pass so it cannot race the writes.
      await backEnd.purgeExpired();
      await store.set("history", "short-a", { turns: ["hi"] }, 1_000);
      await store.set("usage", "short-b", 7, 1_000);
      await store.set("reply-index", "short-c", "x", 1_000.5);
      await store.set("settings", "forever", { model: "m" });
      await store.set("history", "long", { turns: ["still here"] }, hourMs);
      // Rows keyv would never write, which the purge must leave alone rather than fail on.
      await onFile(filePath, "INSERT INTO keyv (key, value) VALUES (?, ?), (?, ?), (?, ?), (?, ?)",
        "odd:not-json", "this is not JSON",
        "odd:string-expiry", JSON.stringify({ value: 1, expires: "yesterday" }),
        "odd:scalar", "42",
        "odd:null-expiry", JSON.stringify({ value: 1, expires: null }));
      expect(await keysInFile(filePath)).toHaveLength(9);

      // What keyv stores, which the purge relies on: the expiry in milliseconds inside the value.
      const [stored] = await onFile<{ value: string }>(filePath, "SELECT value FROM keyv WHERE key = 'history:short-a'");
      const parsed = JSON.parse(stored!.value) as { value: unknown; expires: number };
      expect(parsed.value).toEqual({ turns: ["hi"] });
      expect(parsed.expires).toBeGreaterThan(Date.now());
      expect(parsed.expires).toBeLessThanOrEqual(Date.now() + 1_000);

      // Not yet expired: nothing goes.
      expect(await backEnd.purgeExpired()).toBe(0);
      expect(await keysInFile(filePath)).toHaveLength(9);

      // Ten seconds on, without waiting for them.
      expect(await backEnd.purgeExpired(Date.now() + 10_000)).toBe(3);
      expect(await keysInFile(filePath)).toEqual([
        "history:long",
        "odd:not-json",
        "odd:null-expiry",
        "odd:scalar",
        "odd:string-expiry",
        "settings:forever",
      ]);
      expect(await store.get("settings", "forever")).toEqual({ model: "m" });
      expect(await store.get("history", "long")).toEqual({ turns: ["still here"] });
      expect(await backEnd.purgeExpired(Date.now() + 10_000)).toBe(0);

      // Two hours on, the hour-long one goes too.
      expect(await backEnd.purgeExpired(Date.now() + 2 * hourMs)).toBe(1);
      expect(await keysInFile(filePath)).not.toContain("history:long");
      expect(logs.filter((line) => line.level === "warn" || line.level === "error")).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("walks a table larger than one batch", async () => {
    const filePath = freshFile();
    const backEnd = await createSqliteBackEnd(filePath, recordingLogger([]), purgeOptions);
    try {
      await backEnd.purgeExpired();
      const past = Date.now() - 1_000;
      const rowCount = 3_500;
      const values: unknown[] = [];
      for (let index = 0; index < rowCount; index += 1) {
        // Every third row expired, every third never expires, every third expires in an hour.
        const expires = [past, undefined, Date.now() + hourMs][index % 3];
        values.push(`history:row-${index}`, JSON.stringify({ value: index, expires }));
      }
      await onFile(filePath, `INSERT INTO keyv (key, value) VALUES ${Array.from({ length: rowCount }, () => "(?, ?)").join(", ")}`, ...values);

      expect(await backEnd.purgeExpired()).toBe(Math.ceil(rowCount / 3));
      const remaining = await keysInFile(filePath);
      expect(remaining).toHaveLength(rowCount - Math.ceil(rowCount / 3));
      expect(remaining.filter((key) => Number(key.split("-")[1]) % 3 === 0)).toEqual([]);
    } finally {
      await backEnd.close();
    }
  });
});

describe("SQLite expiry purge schedule", () => {
  it("purges at start the rows that expired while no process had the file open", async () => {
    const filePath = freshFile();
    const first = new KeyvKeyValueStore(await createSqliteBackEnd(filePath, recordingLogger([]), { intervalMs: hourMs }), false);
    await first.set("history", "gone", "soon", 1);
    await first.set("history", "kept", "always");
    await first.close();
    await sleep(5);
    expect(await keysInFile(filePath)).toEqual(["history:gone", "history:kept"]);

    const second = await createSqliteBackEnd(filePath, recordingLogger([]), { intervalMs: hourMs });
    try {
      await waitUntil(async () => (await keysInFile(filePath)).length === 1, "the purge at start");
      expect(await keysInFile(filePath)).toEqual(["history:kept"]);
    } finally {
      await second.close();
    }
  });

  it("purges again on its timer, and stops when the store closes", async () => {
    const filePath = freshFile();
    const logs: LoggedLine[] = [];
    const backEnd = await createSqliteBackEnd(filePath, recordingLogger(logs), { intervalMs: 30 });
    const store = new KeyvKeyValueStore(backEnd, false);
    await store.set("usage", "kept", 1);
    for (let round = 0; round < 2; round += 1) {
      await store.set("usage", `gone-${round}`, 2, 1);
      await waitUntil(async () => (await keysInFile(filePath)).length === 1, `timer purge ${round}`);
    }
    expect(await keysInFile(filePath)).toEqual(["usage:kept"]);

    await store.close();
    // A timer still running would now fail on the closed connection and warn.
    await sleep(150);
    expect(logs.filter((line) => line.level === "warn" || line.level === "error")).toEqual([]);
    expect(await backEnd.purgeExpired(Date.now() + hourMs)).toBe(0);
  });

  it("closes cleanly while a purge is under way", async () => {
    const filePath = freshFile();
    const logs: LoggedLine[] = [];
    const backEnd = await createSqliteBackEnd(filePath, recordingLogger(logs), { intervalMs: hourMs });
    await backEnd.purgeExpired();
    const values: unknown[] = [];
    for (let index = 0; index < 5_000; index += 1) values.push(`history:row-${index}`, JSON.stringify({ value: index, expires: 1 }));
    await onFile(filePath, `INSERT INTO keyv (key, value) VALUES ${Array.from({ length: 5_000 }, () => "(?, ?)").join(", ")}`, ...values);

    const purging = backEnd.purgeExpired();
    await backEnd.close();
    // It stops after the batch it was in; what is left goes at the next start.
    const deleted = await purging;
    expect(deleted).toBeGreaterThanOrEqual(0);
    expect(deleted).toBeLessThanOrEqual(5_000);
    expect(logs.filter((line) => line.level === "warn" || line.level === "error")).toEqual([]);

    const reopened = await createSqliteBackEnd(filePath, recordingLogger(logs), { intervalMs: hourMs });
    try {
      await waitUntil(async () => (await keysInFile(filePath)).length === 0, "the rest purged at the next start");
    } finally {
      await reopened.close();
    }
  });
});
