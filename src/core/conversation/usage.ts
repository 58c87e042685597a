import type { KeyValueStore } from "../ports/key-value-store.js";
import { KeyedSerializer } from "./keyed-serializer.js";

export interface DailyUsage {
  readonly tokens: number;
  readonly requests: number;
  readonly byModel: Readonly<Record<string, { readonly tokens: number; readonly requests: number }>>;
}

const emptyUsage: DailyUsage = { tokens: 0, requests: 0, byModel: {} };
const usageTimeToLiveMs = 3 * 24 * 60 * 60_000;

/** UTC day: budgets reset at midnight UTC, the same for every user and process. */
export function usageDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

function usageKey(userKey: string, now: number): string {
  return `${userKey}:${usageDay(now)}`;
}

export async function loadUsage(store: KeyValueStore, userKey: string, now: number): Promise<DailyUsage> {
  return (await store.get<DailyUsage>("usage", usageKey(userKey, now))) ?? emptyUsage;
}

const updates = new KeyedSerializer();

export function recordUsage(store: KeyValueStore, userKey: string, now: number, model: string, tokens: number): Promise<void> {
  return updates.run(userKey, () => addUsage(store, userKey, now, model, tokens));
}

async function addUsage(store: KeyValueStore, userKey: string, now: number, model: string, tokens: number): Promise<void> {
  const current = await loadUsage(store, userKey, now);
  const forModel = current.byModel[model] ?? { tokens: 0, requests: 0 };
  const next: DailyUsage = {
    tokens: current.tokens + tokens,
    requests: current.requests + 1,
    byModel: { ...current.byModel, [model]: { tokens: forModel.tokens + tokens, requests: forModel.requests + 1 } },
  };
  await store.set("usage", usageKey(userKey, now), next, usageTimeToLiveMs);
}

/** Milliseconds until the next UTC midnight, when daily budgets reset. */
export function untilNextUsageDay(now: number): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return next.getTime() - now;
}
