import { APIError, APIConnectionError, APIConnectionTimeoutError } from "groq-sdk";
import { describe, expect, it } from "vitest";
import { toModelCallError } from "../../../src/providers/groq/error-mapping.js";
import { parseGoDuration } from "../../../src/providers/groq/go-duration.js";
import { readRateLimitHeaders } from "../../../src/providers/groq/rate-limit-headers.js";

function apiError(status: number, message: string, code: string | undefined, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, { error: { message, type: "tokens", code } }, undefined, new Headers(headers));
}

describe("Groq's Go durations", () => {
  it("parses what the headers and 429 messages carry", () => {
    expect(parseGoDuration("7.66s")).toBe(7_660);
    expect(parseGoDuration("2m59.56s")).toBe(179_560);
    expect(parseGoDuration("1h2m3s")).toBe(3_723_000);
    expect(parseGoDuration("120ms")).toBe(120);
    expect(parseGoDuration("9m38.016s")).toBe(578_016);
    expect(parseGoDuration("0s")).toBe(0);
    expect(parseGoDuration("soon")).toBeUndefined();
  });
});

describe("rate-limit headers", () => {
  it("reads requests as per day and tokens as per minute", () => {
    const headers = new Headers({
      "x-ratelimit-limit-requests": "14400",
      "x-ratelimit-remaining-requests": "14370",
      "x-ratelimit-reset-requests": "2m59.56s",
      "x-ratelimit-limit-tokens": "18000",
      "x-ratelimit-remaining-tokens": "17997",
      "x-ratelimit-reset-tokens": "7.66s",
    });
    expect(readRateLimitHeaders(headers)).toEqual({
      requestsPerDayLimit: 14_400,
      requestsPerDayRemaining: 14_370,
      requestsPerDayResetMs: 179_560,
      tokensPerMinuteLimit: 18_000,
      tokensPerMinuteRemaining: 17_997,
      tokensPerMinuteResetMs: 7_660,
    });
  });
});

describe("errors as data", () => {
  it("reads which limit a 429 hit and how long its message says to wait", () => {
    const perMinute = toModelCallError(
      apiError(429, "Rate limit reached for model `m` in organization `o` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 5034, Requested 1443. Please try again in 4.77s.", "rate_limit_exceeded", { "retry-after": "5" }),
      "m",
      false,
    );
    expect(perMinute).toMatchObject({ kind: "rate_limited", window: "minute", retryAfterMs: 4_770, status: 429, isRetryable: true });
    const perDay = toModelCallError(
      apiError(429, "Rate limit reached for model `m` ... on tokens per day (TPD): Limit 500000, Used 499000, Requested 2000. Please try again in 9m38.016s.", "rate_limit_exceeded"),
      "m",
      false,
    );
    expect(perDay).toMatchObject({ kind: "rate_limited", window: "day", retryAfterMs: 578_016 });
  });

  it("tells a request too large, a gone model, a full context and an overloaded service apart", () => {
    expect(toModelCallError(apiError(413, "Request too large for model `m` ...", "rate_limit_exceeded"), "m", false).kind).toBe("request_too_large");
    expect(toModelCallError(apiError(400, "The model `m` has been decommissioned", "model_decommissioned"), "m", false).kind).toBe("model_gone");
    expect(toModelCallError(apiError(404, "The model `m` does not exist", "model_not_found"), "m", false).kind).toBe("model_gone");
    expect(toModelCallError(apiError(400, "Please reduce the length of the messages", "context_length_exceeded"), "m", false).kind).toBe("context_too_long");
    expect(toModelCallError(apiError(498, "flex tier capacity exceeded", undefined), "m", false).kind).toBe("server_error");
    expect(toModelCallError(apiError(503, "Service Unavailable", undefined), "m", false).kind).toBe("server_error");
    const refusedKey = toModelCallError(apiError(401, "Invalid API Key", "invalid_api_key"), "m", false);
    expect(refusedKey).toMatchObject({ kind: "authentication", isRetryable: false });
  });

  it("says whether the network failed or the service was slow", () => {
    expect(toModelCallError(new APIConnectionError({ message: "ECONNRESET" }), "m", false).kind).toBe("network");
    expect(toModelCallError(new APIConnectionTimeoutError(), "m", false).kind).toBe("timeout");
    expect(toModelCallError(new TypeError("terminated"), "m", false).kind).toBe("network");
    expect(toModelCallError(new TypeError("terminated"), "m", true).kind).toBe("timeout");
  });
});
