import { describe, expect, it } from "vitest";
import { appendHistory, capStoredHistory, loadHistory, maxStoredHistoryBytes, trimHistory, type HistoryTurn, type StoredTurn } from "../../../src/core/conversation/history.js";
import { createKeyValueStore } from "../../../src/store/create-store.js";

function turn(role: HistoryTurn["role"], text: string): HistoryTurn {
  return { role, text, at: 0 };
}

describe("history", () => {
  it("keeps the newest turns within the turn and token budgets and never starts with an answer", () => {
    const turns = [turn("user", "one"), turn("assistant", "1"), turn("user", "two"), turn("assistant", "2"), turn("user", "three"), turn("assistant", "3")];
    expect(trimHistory(turns, 4, Infinity).map((kept) => kept.text)).toEqual(["two", "2", "three", "3"]);
    expect(trimHistory(turns, 3, Infinity).map((kept) => kept.text)).toEqual(["three", "3"]);
    expect(trimHistory(turns, 20, 12).map((kept) => kept.text)).toEqual(["three", "3"]);
    expect(trimHistory(turns, 20, 0)).toEqual([]);
  });

  it("loses no exchange when two answers of one conversation finish together", async () => {
    const store = await createKeyValueStore("memory://");
    await Promise.all(
      Array.from({ length: 10 }, (_, index) => appendHistory(store, "c", [turn("user", `q${index}`), turn("assistant", `a${index}`)])),
    );
    expect(await loadHistory(store, "c")).toHaveLength(20);
    await store.close();
  });
});

describe("history capped in bytes", () => {
  const turnOf = (index: number, characters: number): StoredTurn => ({ role: index % 2 === 0 ? "user" : "assistant", text: `${index} ${"w".repeat(characters)}`, at: index });
  it.each([
    { what: "small turns, all kept", turns: 10, characters: 100, kept: 10 },
    { what: "turns past the byte cap, the oldest dropped", turns: 100, characters: 10_000, kept: Math.floor(maxStoredHistoryBytes / 10_050) },
    { what: "more turns than the ceiling", turns: 500, characters: 10, kept: 200 },
  ])("$what", ({ turns, characters, kept }) => {
    const all = Array.from({ length: turns }, (_, index) => turnOf(index, characters));
    const capped = capStoredHistory(all);
    expect(capped).toHaveLength(kept);
    expect(capped.at(-1)).toEqual(all.at(-1));
    expect(Buffer.byteLength(JSON.stringify(capped))).toBeLessThanOrEqual(maxStoredHistoryBytes);
  });

  it("keeps a conversation's stored row within the cap however long it runs", async () => {
    const store = await createKeyValueStore("memory://");
    for (let index = 0; index < 60; index += 1) await appendHistory(store, "c", [turnOf(2 * index, 6_000), turnOf(2 * index + 1, 6_000)]);
    const stored = await loadHistory(store, "c");
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThanOrEqual(maxStoredHistoryBytes);
    expect(stored.at(-1)?.text).toMatch(/^119 /);
    await store.close();
  });
});
