import type { KeyValueStore } from "../ports/key-value-store.js";
import { loadUsage, untilNextUsageDay } from "./usage.js";

/** One user's day as `/usage` shows it. */
export interface UsageReport {
  readonly requests: number;
  readonly tokens: number;
  /** USER_DAILY_TOKENS; 0 when there is no per-user budget. */
  readonly dailyTokens: number;
  /** What is left of the budget today; undefined without a budget. */
  readonly tokensLeft: number | undefined;
  /** Until midnight UTC, when the day's usage starts again from zero. */
  readonly renewsInMs: number;
}

/** From the per-user daily record (usage.ts), which the pipeline charges with every answer. */
export async function usageReport(store: KeyValueStore, userKey: string, now: number, dailyTokens: number): Promise<UsageReport> {
  const usage = await loadUsage(store, userKey, now);
  return {
    requests: usage.requests,
    tokens: usage.tokens,
    dailyTokens,
    tokensLeft: dailyTokens > 0 ? Math.max(0, dailyTokens - usage.tokens) : undefined,
    renewsInMs: untilNextUsageDay(now),
  };
}
