import type { RateLimitSnapshot } from "../../core/ports/model-client.js";
import { parseGoDuration } from "./go-duration.js";

function numberHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || value.trim() === "") return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function durationHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  return value === null ? undefined : parseGoDuration(value);
}

/**
 * Groq's headers: the `-requests` ones count per DAY (RPD), the `-tokens` ones per MINUTE (TPM).
 * Neither reports RPM nor TPD; those are counted locally.
 */
export function readRateLimitHeaders(headers: Headers | undefined): RateLimitSnapshot {
  if (headers === undefined) return {};
  const entries: [keyof RateLimitSnapshot, number | undefined][] = [
    ["requestsPerDayLimit", numberHeader(headers, "x-ratelimit-limit-requests")],
    ["requestsPerDayRemaining", numberHeader(headers, "x-ratelimit-remaining-requests")],
    ["requestsPerDayResetMs", durationHeader(headers, "x-ratelimit-reset-requests")],
    ["tokensPerMinuteLimit", numberHeader(headers, "x-ratelimit-limit-tokens")],
    ["tokensPerMinuteRemaining", numberHeader(headers, "x-ratelimit-remaining-tokens")],
    ["tokensPerMinuteResetMs", durationHeader(headers, "x-ratelimit-reset-tokens")],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}
