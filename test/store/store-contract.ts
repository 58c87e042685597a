import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeyValueStore } from "../../src/core/ports/key-value-store.js";

/**
 * What every back end must do, the same for all of them. Keys are unique per test, so the suite
 * may share a Redis with other test files.
 */
export function describeKeyValueStoreContract(backEndName: string, openStore: () => Promise<KeyValueStore>): void {
  describe(`${backEndName}: key-value store contract`, () => {
    let store: KeyValueStore;
    const uniqueKey = (): string => `contract-${randomUUID()}`;

    beforeAll(async () => {
      store = await openStore();
    });
    afterAll(async () => {
      await store.close();
    });

    it("reads back what was set, and nothing after delete", async () => {
      const key = uniqueKey();
      await store.set("history", key, { text: "hello" });
      expect(await store.get("history", key)).toEqual({ text: "hello" });

      await store.delete("history", key);
      expect(await store.get("history", key)).toBeUndefined();
    });

    it("treats a key that starts with the namespace's name as a key of its own", async () => {
      const key = uniqueKey();
      await store.set("history", `history:${key}`, "prefixed");
      await store.set("history", key, "bare");
      expect(await store.get("history", `history:${key}`)).toBe("prefixed");
      expect(await store.get("history", key)).toBe("bare");
    });

    it("returns undefined for a key never set, and deleting it is no error", async () => {
      const key = uniqueKey();
      expect(await store.get("settings", key)).toBeUndefined();
      await expect(store.delete("settings", key)).resolves.toBeUndefined();
    });

    it("overwrites a value", async () => {
      const key = uniqueKey();
      await store.set("settings", key, { model: "first" });
      await store.set("settings", key, { model: "second" });
      expect(await store.get("settings", key)).toEqual({ model: "second" });
    });

    it("keeps namespaces apart", async () => {
      const key = uniqueKey();
      await store.set("history", key, "in history");
      await store.set("usage", key, "in usage");
      expect(await store.get("history", key)).toBe("in history");
      expect(await store.get("usage", key)).toBe("in usage");
      expect(await store.get("settings", key)).toBeUndefined();

      await store.delete("history", key);
      expect(await store.get("history", key)).toBeUndefined();
      expect(await store.get("usage", key)).toBe("in usage");
    });

    it("forgets a value once its time to live has passed, and keeps one without", async () => {
      const expiring = uniqueKey();
      const lasting = uniqueKey();
      await store.set("model-state", expiring, { coolingDown: true }, 150);
      await store.set("model-state", lasting, { coolingDown: false });
      expect(await store.get("model-state", expiring)).toEqual({ coolingDown: true });

      await sleep(400);
      expect(await store.get("model-state", expiring)).toBeUndefined();
      expect(await store.get("model-state", lasting)).toEqual({ coolingDown: false });
    });

    it("takes a fractional time to live, and treats one that has run out as a delete", async () => {
      const fractional = uniqueKey();
      await store.set("usage", fractional, 1, 60_000.5);
      expect(await store.get("usage", fractional)).toBe(1);

      await store.set("usage", fractional, 2, 0);
      expect(await store.get("usage", fractional)).toBeUndefined();
      await expect(store.set("usage", fractional, 3, Number.NaN)).rejects.toThrow(RangeError);
    });

    it("round-trips nested JSON exactly", async () => {
      const key = uniqueKey();
      const value = {
        conversation: [
          { role: "user", content: "Bonjour 👋 «quotes» \"and\" \\backslashes\\", attachments: [] },
          { role: "assistant", content: ":starts with a colon", tokens: { prompt: 12, completion: 0.5 } },
        ],
        flags: { enabled: true, disabled: false, nothing: null },
        deep: { a: { b: { c: { d: [1, [2, [3, { e: "" }]]] } } } },
        largeNumber: Number.MAX_SAFE_INTEGER,
        negative: -42.125,
      };
      await store.set("history", key, value);
      expect(await store.get("history", key)).toStrictEqual(value);

      for (const scalar of ["plain string", 0, false, null, [1, "two", { three: 3 }]]) {
        await store.set("settings", key, scalar);
        expect(await store.get("settings", key)).toStrictEqual(scalar);
      }
    });

    it("stores a copy: changing what was set or read does not change what is stored", async () => {
      const key = uniqueKey();
      const value = { list: [1, 2] };
      await store.set("settings", key, value);
      value.list.push(3);
      const read = await store.get<{ list: number[] }>("settings", key);
      read?.list.push(4);
      expect(await store.get("settings", key)).toEqual({ list: [1, 2] });
    });

    it("keeps every one of many concurrent sets", async () => {
      const keys = Array.from({ length: 100 }, () => uniqueKey());
      await Promise.all(keys.map((key, index) => store.set("reply-index", key, { index })));
      const values = await Promise.all(keys.map((key) => store.get("reply-index", key)));
      expect(values).toEqual(keys.map((_key, index) => ({ index })));
    });

    it("ends with one whole value when concurrent sets race on one key", async () => {
      const key = uniqueKey();
      const candidates = Array.from({ length: 20 }, (_unused, writer) => ({ writer, payload: "x".repeat(writer * 100) }));
      await Promise.all(candidates.map((candidate) => store.set("usage", key, candidate)));
      expect(candidates).toContainEqual(await store.get("usage", key));
    });

    it("refuses operations once closed, and closing twice is fine", async () => {
      const separateStore = await openStore();
      await separateStore.close();
      await expect(separateStore.close()).resolves.toBeUndefined();
      await expect(separateStore.get("history", uniqueKey())).rejects.toThrow(/closed/);
      await expect(separateStore.set("history", uniqueKey(), 1)).rejects.toThrow(/closed/);
    });
  });
}
