/**
 * Rules every implementation of the shared-quota port follows alike (in-process-quota.ts, and
 * the Redis scripts in src/store/redis-quota-scripts.ts), so that a test can hold both to one
 * contract.
 */

/** Others' charges in a minute are summed per second of expiry, rounded up (never freed early). */
export const foreignBucketMs = 1_000;
/** Headers tell about the current minute; after one they are stale. */
export const headersTimeToLiveMs = 60_000;
/** Answers kept for processes to learn budgets from (a new process reads them all at its first look). */
export const recentAnswersKept = 512;
/** A retired model stays known as retired for a week; Groq's live list corrects any mistake. */
export const goneTimeToLiveMs = 7 * 24 * 60 * 60_000;

/**
 * The earliest time at which a window's charges (oldest expiry first) drop to at most
 * `maxRequests` and `maxTokens`: `now` when they already do, the last expiry when nothing short
 * of an empty window would do (a charge larger than the limit itself).
 */
export function fitsAfter(window: readonly { readonly expiresAt: number; readonly tokens: number }[], now: number, maxRequests: number, maxTokens: number): number {
  let requests = window.length;
  let tokens = window.reduce((total, charge) => total + charge.tokens, 0);
  if (requests <= maxRequests && tokens <= maxTokens) return now;
  for (const charge of window) {
    requests -= 1;
    tokens -= charge.tokens;
    if (requests <= maxRequests && tokens <= maxTokens) return charge.expiresAt;
  }
  return window.at(-1)?.expiresAt ?? now;
}
