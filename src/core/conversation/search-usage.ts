import type { KeyValueStore } from "../ports/key-value-store.js";
import { KeyedSerializer } from "./keyed-serializer.js";
import { usageDay } from "./usage.js";

/**
 * Web searches each user made today: the search systems' day (250 requests each on Groq's free
 * tier, for the whole organization) is shared out per user (SEARCH_DAILY_PER_USER). A record of
 * its own beside the daily token usage (usage.ts), under the same namespace and UTC day; its keys
 * start with `search:`, which no user key does, so the two never meet.
 */
interface DailySearches {
  readonly searches: number;
}

const timeToLiveMs = 3 * 24 * 60 * 60_000;

function searchesKey(userKey: string, now: number): string {
  return `search:${userKey}:${usageDay(now)}`;
}

export async function searchesToday(store: KeyValueStore, userKey: string, now: number): Promise<number> {
  return (await store.get<DailySearches>("usage", searchesKey(userKey, now)))?.searches ?? 0;
}

const updates = new KeyedSerializer();

/** Counts one answered search against the user's share of the day. */
export function recordSearch(store: KeyValueStore, userKey: string, now: number): Promise<void> {
  return updates.run(userKey, async () => {
    const searches = await searchesToday(store, userKey, now);
    await store.set<DailySearches>("usage", searchesKey(userKey, now), { searches: searches + 1 }, timeToLiveMs);
  });
}
