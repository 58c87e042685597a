/** One charge against a limit: a request and the tokens counted for it, until it expires. */
export interface UsageEntry {
  readonly at: number;
  expiresAt: number;
  readonly requests: number;
  tokens: number;
}

/**
 * A sliding window of charges. Entries carry their own expiry, so that usage we did not make
 * ourselves (learned from headers: another process, or Groq counting more than we estimated)
 * can expire when Groq says the limit resets rather than a whole window later.
 */
export class UsageWindow {
  private entries: UsageEntry[] = [];

  constructor(readonly lengthMs: number) {}

  charge(now: number, requests: number, tokens: number, expiresAt = now + this.lengthMs): UsageEntry {
    const entry: UsageEntry = { at: now, expiresAt, requests, tokens };
    this.entries.push(entry);
    return entry;
  }

  remove(entry: UsageEntry): void {
    const index = this.entries.indexOf(entry);
    if (index !== -1) this.entries.splice(index, 1);
  }

  /** What the window holds at `now`; with `chargedBy`, only what was charged by that time. */
  totals(now: number, chargedBy = Number.POSITIVE_INFINITY): { requests: number; tokens: number } {
    this.prune(now);
    let requests = 0;
    let tokens = 0;
    for (const entry of this.entries) {
      if (entry.at > chargedBy) continue;
      requests += entry.requests;
      tokens += entry.tokens;
    }
    return { requests, tokens };
  }

  /**
   * The earliest time at which the window's totals drop to at most the given figures, or
   * `now` when they already are.
   */
  timeWhenWithin(now: number, maxRequests: number, maxTokens: number): number {
    let { requests, tokens } = this.totals(now);
    if (requests <= maxRequests && tokens <= maxTokens) return now;
    const byExpiry = [...this.entries].sort((first, second) => first.expiresAt - second.expiresAt);
    for (const entry of byExpiry) {
      requests -= entry.requests;
      tokens -= entry.tokens;
      if (requests <= maxRequests && tokens <= maxTokens) return entry.expiresAt;
    }
    return now;
  }

  private prune(now: number): void {
    if (this.entries.some((entry) => entry.expiresAt <= now)) {
      this.entries = this.entries.filter((entry) => entry.expiresAt > now);
    }
  }
}
