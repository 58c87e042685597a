/**
 * One model's quota: sliding windows on the fake's clock, as GROQ.md describes.
 * - RPM and TPM count the last 60 s; RPD and TPD the last 24 h.
 * - TPM is charged up front with prompt + completion budget (that is what makes TPM, not RPM,
 *   the binding limit on the free tier); TPD is charged with the actual prompt + completion.
 * - A refused request charges nothing.
 */
import { formatGoDuration } from "./go-duration.js";
import type { FakeModelSpec, ModelUsage } from "./types.js";

export const minuteMilliseconds = 60_000;
export const dayMilliseconds = 86_400_000;

export type QuotaLimitName = "RPM" | "RPD" | "TPM" | "TPD";

export interface ExhaustedLimit {
  name: QuotaLimitName;
  limit: number;
  used: number;
  requested: number;
  /** Time until enough of the window expires for this request to fit. */
  waitMilliseconds: number;
}

export interface ChargedRequest {
  at: number;
  minuteTokens: number;
  dayTokens: number;
}

type QuotaLimits = Pick<FakeModelSpec, "requestsPerMinute" | "requestsPerDay" | "tokensPerMinute" | "tokensPerDay">;

export class ModelQuota {
  private charged: ChargedRequest[] = [];

  constructor(
    private readonly limits: QuotaLimits,
    private readonly now: () => number,
  ) {}

  /** A request whose up-front charge exceeds the whole TPM can never succeed (Groq's 413). */
  isTooLargeForMinuteWindow(upFrontTokens: number): boolean {
    return upFrontTokens > this.limits.tokensPerMinute;
  }

  /**
   * The first limit that refuses this request, in Groq's order RPM, RPD, TPM, TPD, or undefined.
   * `dayTokensRequested` is what the TPD check asks for; the fake uses the same up-front amount as
   * TPM (prompt + completion budget), since the real completion length is not known in advance.
   */
  findExhaustedLimit(upFrontTokens: number, dayTokensRequested: number): ExhaustedLimit | undefined {
    const minute = this.inWindow(minuteMilliseconds);
    const day = this.inWindow(dayMilliseconds);
    const checks: { name: QuotaLimitName; limit: number; window: ChargedRequest[]; windowMilliseconds: number; weight: (request: ChargedRequest) => number; requested: number }[] = [
      { name: "RPM", limit: this.limits.requestsPerMinute, window: minute, windowMilliseconds: minuteMilliseconds, weight: () => 1, requested: 1 },
      { name: "RPD", limit: this.limits.requestsPerDay, window: day, windowMilliseconds: dayMilliseconds, weight: () => 1, requested: 1 },
      { name: "TPM", limit: this.limits.tokensPerMinute, window: minute, windowMilliseconds: minuteMilliseconds, weight: (request) => request.minuteTokens, requested: upFrontTokens },
      { name: "TPD", limit: this.limits.tokensPerDay, window: day, windowMilliseconds: dayMilliseconds, weight: (request) => request.dayTokens, requested: dayTokensRequested },
    ];
    for (const check of checks) {
      const used = sum(check.window.map(check.weight));
      if (used + check.requested <= check.limit) continue;
      return {
        name: check.name,
        limit: check.limit,
        used,
        requested: check.requested,
        waitMilliseconds: this.waitUntilFits(check.window, check.windowMilliseconds, check.weight, used, check.requested, check.limit),
      };
    }
    return undefined;
  }

  charge(upFrontTokens: number, actualTokens: number): ChargedRequest {
    this.dropExpired();
    const request = { at: this.now(), minuteTokens: upFrontTokens, dayTokens: actualTokens };
    this.charged.push(request);
    return request;
  }

  /** After processing: what the call finally counts (the unused budget given back, cached tokens taken off). */
  recharge(request: ChargedRequest, minuteTokens: number, dayTokens: number): void {
    request.minuteTokens = minuteTokens;
    request.dayTokens = dayTokens;
  }

  /** The x-ratelimit-* headers as Groq sends them: requests are the day limit, tokens the minute limit. */
  rateLimitHeaders(): Record<string, string> {
    const now = this.now();
    const minute = this.inWindow(minuteMilliseconds);
    const day = this.inWindow(dayMilliseconds);
    // Windows are sorted oldest first: the day frees its first request when the oldest expires,
    // and the minute is wholly free when its newest expires.
    const oldestToday = day[0];
    const newestThisMinute = minute.at(-1);
    return {
      "x-ratelimit-limit-requests": String(this.limits.requestsPerDay),
      "x-ratelimit-remaining-requests": String(Math.max(0, this.limits.requestsPerDay - day.length)),
      "x-ratelimit-reset-requests": oldestToday === undefined ? "0s" : formatGoDuration(oldestToday.at + dayMilliseconds - now),
      "x-ratelimit-limit-tokens": String(this.limits.tokensPerMinute),
      "x-ratelimit-remaining-tokens": String(Math.max(0, this.limits.tokensPerMinute - sum(minute.map((request) => request.minuteTokens)))),
      "x-ratelimit-reset-tokens": newestThisMinute === undefined ? "0s" : formatGoDuration(newestThisMinute.at + minuteMilliseconds - now),
    };
  }

  usage(): ModelUsage {
    const minute = this.inWindow(minuteMilliseconds);
    const day = this.inWindow(dayMilliseconds);
    return {
      requestsLastMinute: minute.length,
      tokensLastMinute: sum(minute.map((request) => request.minuteTokens)),
      requestsToday: day.length,
      tokensToday: sum(day.map((request) => request.dayTokens)),
    };
  }

  /** Requests still counted by a window, oldest first. */
  private inWindow(windowMilliseconds: number): ChargedRequest[] {
    const now = this.now();
    return this.charged.filter((request) => request.at > now - windowMilliseconds).sort((first, second) => first.at - second.at);
  }

  /** Walks the window from its oldest request until enough has expired for the request to fit. */
  private waitUntilFits(
    window: ChargedRequest[],
    windowMilliseconds: number,
    weight: (request: ChargedRequest) => number,
    used: number,
    requested: number,
    limit: number,
  ): number {
    const now = this.now();
    let stillUsed = used;
    let expiresAt = now;
    for (const request of window) {
      stillUsed -= weight(request);
      expiresAt = request.at + windowMilliseconds;
      if (stillUsed + requested <= limit) break;
    }
    // A request larger than the limit itself only fits once everything has expired (the loop's last value).
    return Math.max(0, expiresAt - now);
  }

  // Keeps the list from growing without bound in long benchmark runs.
  private dropExpired(): void {
    const now = this.now();
    this.charged = this.charged.filter((request) => request.at > now - dayMilliseconds);
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
