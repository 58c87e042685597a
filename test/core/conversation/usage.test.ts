import { describe, expect, it } from "vitest";
import { RequestCost } from "../../../src/core/conversation/request-cost.js";
import { BudgetHold, decideHold, loadUsage, type DailyUsage } from "../../../src/core/conversation/usage.js";
import { createKeyValueStore } from "../../../src/store/create-store.js";
import { ManualClock } from "../../support/manual-clock.js";

const now = Date.UTC(2026, 11, 1, 12);
function usage(tokens: number, held: Record<string, { tokens: number; since: number }> = {}): DailyUsage {
  return { tokens, requests: 0, bySource: {}, held: Object.fromEntries(Object.entries(held).map(([id, hold]) => [id, { ...hold, until: now + 60_000 }])) };
}

describe("what a request may hold of its user's day", () => {
  it.each([
    { what: "what is left covers it", usage: usage(100), request: { id: "r", since: now, growing: false }, wanted: 150, expected: { held: 150 } },
    { what: "a new request, none other under way, takes the rest", usage: usage(100), request: { id: "r", since: now, growing: false }, wanted: 500, expected: { held: 200 } },
    { what: "a new request beside another is refused", usage: usage(100, { other: { tokens: 50, since: now } }), request: { id: "r", since: now + 1, growing: false }, wanted: 500, expected: { refused: "held_by_others" } },
    { what: "nothing left: spent", usage: usage(300), request: { id: "r", since: now, growing: false }, wanted: 1, expected: { refused: "spent" } },
    { what: "the rest held by others", usage: usage(100, { other: { tokens: 200, since: now } }), request: { id: "r", since: now + 1, growing: false }, wanted: 1, expected: { refused: "held_by_others" } },
    {
      what: "the oldest growing goes on with what it can get",
      usage: usage(100, { r: { tokens: 80, since: now }, young: { tokens: 90, since: now + 5 } }),
      request: { id: "r", since: now, growing: true },
      wanted: 400,
      expected: { held: 110 },
    },
    {
      what: "the oldest growing keeps its hold when others took the rest",
      usage: usage(100, { r: { tokens: 80, since: now }, young: { tokens: 200, since: now + 5 } }),
      request: { id: "r", since: now, growing: true },
      wanted: 400,
      expected: { held: 80 },
    },
    {
      what: "a younger one growing past what is left is refused",
      usage: usage(100, { old: { tokens: 80, since: now }, r: { tokens: 90, since: now + 5 } }),
      request: { id: "r", since: now + 5, growing: true },
      wanted: 400,
      expected: { refused: "held_by_others" },
    },
    {
      what: "a lapsed hold (its process died) holds nothing",
      usage: { ...usage(100), held: { gone: { tokens: 200, since: now - 3_600_000, until: now - 1 } } },
      request: { id: "r", since: now, growing: false },
      wanted: 150,
      expected: { held: 150 },
    },
  ])("$what", ({ usage: day, request, wanted, expected }) => {
    expect(decideHold(day, request, wanted, 300, now)).toEqual(expected);
  });
});

describe("holds in the store", () => {
  it("are visible to the user's next request until settled, and a settled request is charged what it cost", async () => {
    const store = await createKeyValueStore("memory://");
    const clock = new ManualClock(now);
    const budget = { userKey: "tg:1", limit: 1_000, lifetimeMs: 600_000 };
    const first = await BudgetHold.take(store, clock, budget, 700);
    expect(first).toBeInstanceOf(BudgetHold);
    expect(await BudgetHold.take(store, clock, budget, 400)).toEqual({ refused: "held_by_others" });
    const cost = new RequestCost();
    cost.add("answer", 250);
    cost.add("safety", 10.4);
    await (first as BudgetHold).settle(cost);
    expect(await loadUsage(store, "tg:1", now)).toMatchObject({ tokens: 261, requests: 1, bySource: { answer: 250, safety: 11 }, held: {} });
    expect(await BudgetHold.take(store, clock, budget, 400)).toBeInstanceOf(BudgetHold);
    await store.close();
  });
});
