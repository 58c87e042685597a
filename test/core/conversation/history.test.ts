import { describe, expect, it } from "vitest";
import { appendHistory, loadHistory, trimHistory, type HistoryTurn } from "../../../src/core/conversation/history.js";
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
