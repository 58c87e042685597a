import { describe, expect, it } from "vitest";
import { ModelCallError } from "../../../src/core/errors.js";
import { ModelState, type Reservation } from "../../../src/core/models/model-state.js";

const limits = { requestsPerMinute: 30, requestsPerDay: 1_000, tokensPerMinute: 8_000, tokensPerDay: 200_000 };
const start = Date.UTC(2026, 10, 26, 12);

function failure(kind: ModelCallError["kind"], extra: Partial<ConstructorParameters<typeof ModelCallError>[1]> = {}): ModelCallError {
  return new ModelCallError(kind, { kind, model: "m", ...extra });
}

describe("ModelState", () => {
  it("counts requests per minute locally and frees the slot when the oldest leaves the window", () => {
    const state = new ModelState("m", limits);
    for (let index = 0; index < 30; index += 1) state.reserve(start + index * 1_000, 100);
    const blocked = state.unavailability(start + 30_000, 100);
    expect(blocked).toEqual({ kind: "quota", limit: "RPM", until: start + 60_000 });
    expect(state.unavailability(start + 60_000, 100)).toBeUndefined();
  });

  it("books usage the headers show beyond its own count, freeing it gradually until Groq's reset", () => {
    const state = new ModelState("m", limits);
    state.markSent(state.reserve(start, 1_000), start);
    // Another process of the organization used 6,000 tokens this minute.
    state.observeHeaders(start, { tokensPerMinuteLimit: 8_000, tokensPerMinuteRemaining: 1_000, tokensPerMinuteResetMs: 24_000 });
    expect(state.freeTokensPerMinute(start)).toBe(1_000);
    // A sixth of it frees every 4 s: 1,500 more tokens fit once the first 1,000 of it are free.
    expect(state.unavailability(start + 1_000, 1_500)).toMatchObject({ kind: "quota", limit: "TPM", until: start + 4_000 });
    expect(state.freeTokensPerMinute(start + 12_000)).toBe(4_000);
    expect(state.freeTokensPerMinute(start + 24_000)).toBe(7_000);
  });

  it("compares headers only with calls already sent: a model chosen for a message still being screened is not in them", () => {
    const state = new ModelState("m", limits);
    // Chosen, not sent yet: Groq's headers cannot know it, so they show no one else's use.
    state.reserve(start, 2_000);
    state.observeHeaders(start, { tokensPerMinuteLimit: 8_000, tokensPerMinuteRemaining: 8_000, tokensPerMinuteResetMs: 0 });
    expect(state.freeTokensPerMinute(start)).toBe(6_000);
  });

  it("dates a reservation from its send, and keeps it a little past Groq's minute", () => {
    const state = new ModelState("m", limits);
    const reservation = state.reserve(start, 8_000);
    state.markSent(reservation, start + 3_000);
    expect(state.unavailability(start + 60_500, 1_000)?.kind).toBe("quota");
    expect(state.unavailability(start + 63_600, 1_000)).toBeUndefined();
  });

  it("counts another process's usage from shared headers only once, and ignores older ones", () => {
    const state = new ModelState("m", limits);
    state.markSent(state.reserve(start, 1_000), start);
    const snapshot = { tokensPerMinuteLimit: 8_000, tokensPerMinuteRemaining: 5_000, tokensPerMinuteResetMs: 30_000 };
    state.observeHeaders(start + 500, snapshot, start + 100);
    state.observeHeaders(start + 900, snapshot, start + 100);
    expect(state.freeTokensPerMinute(start + 1_000)).toBe(5_000);
    state.observeHeaders(start + 1_000, { ...snapshot, tokensPerMinuteRemaining: 0 }, start + 50);
    expect(state.freeTokensPerMinute(start + 1_000)).toBe(5_000);
  });

  it("does not take another process's call sent about when the headers were written for proof that Groq counts only use", () => {
    const state = new ModelState("m", limits);
    // Four calls of its own, each reserving 1,000 tokens and using 300.
    for (let index = 0; index < 4; index += 1) {
      const reservation = state.reserve(start, 1_000);
      state.markSent(reservation, start);
      state.settle(reservation, { promptTokens: 200, completionTokens: 100, totalTokens: 300 }, 800, start);
    }
    // Another process sent a call of 2,000 tokens at 10.2 s; the shared quota knows it only to the second.
    state.mirrorForeignMinute([{ expiresAt: start + 71_000, requests: 1, tokens: 2_000 }], start + 10_300);
    // Headers written at 10.1 s, before Groq saw that call: exactly the four reservations kept.
    for (let reading = 0; reading < 6; reading += 1) {
      state.observeHeaders(start + 10_300, { tokensPerMinuteLimit: 8_000, tokensPerMinuteRemaining: 4_000, tokensPerMinuteResetMs: 30_000 }, start + 10_100);
    }
    expect(state.completionAccounting).toBe("reservation_kept");
  });

  describe("headers of a call sent moments after another of ours, which Groq admitted after it", () => {
    const headers = (used: number) => ({ tokensPerMinuteLimit: 8_000, tokensPerMinuteRemaining: 8_000 - used, tokensPerMinuteResetMs: 60_000 });

    /** Two calls that reserved 1,000 and used 300; then a call of 1,400 sent at 5 s, and the carrier of 500 `gapMs` later. */
    function callsSentApart(gapMs: number): { state: ModelState; carrier: Reservation } {
      const state = new ModelState("m", limits);
      for (let index = 0; index < 2; index += 1) {
        const reservation = state.reserve(start, 1_000);
        state.markSent(reservation, start);
        state.settle(reservation, { promptTokens: 200, completionTokens: 100, totalTokens: 300 }, 800, start + 1_000);
      }
      state.markSent(state.reserve(start + 5_000, 1_400), start + 5_000);
      const carrier = state.reserve(start + 5_000 + gapMs, 500);
      state.markSent(carrier, start + 5_000 + gapMs);
      return { state, carrier };
    }

    it("does not take them for proof that Groq counts only use when the earlier call may not be in them", () => {
      const { state, carrier } = callsSentApart(3);
      // Groq keeps reservations, and wrote the headers before it admitted the call of 1,400:
      // 2 × 1,000 + 500, which is also what "only use" with that call would show (2 × 300 + 1,400 + 500).
      for (let reading = 0; reading < 4; reading += 1) state.observeHeaders(start + 5_400, headers(2 * 1_000 + 500), start + 5_003, carrier);
      expect(state.completionAccounting).toBe("unknown");
    });

    it("learns from the same headers once the earlier call went out well before the carrier", () => {
      const { state, carrier } = callsSentApart(400);
      // Now the call of 1,400 is surely in: 2 × 300 + 1,400 + 500 is "only use", one decisive reading.
      state.observeHeaders(start + 5_800, headers(2 * 1_000 + 500), start + 5_400, carrier);
      expect(state.completionAccounting).toBe("usage_only");
    });
  });

  it("lets one decisive reading overturn a belief that Groq counts only use", () => {
    const state = new ModelState("m", limits);
    const headers = (used: number) => ({ tokensPerMinuteLimit: 8_000, tokensPerMinuteRemaining: 8_000 - used, tokensPerMinuteResetMs: 60_000 });
    const first = state.reserve(start, 1_100);
    state.markSent(first, start);
    state.settle(first, { promptTokens: 50, completionTokens: 100, totalTokens: 150 }, 1_000, start);
    const second = state.reserve(start + 10, 1_100);
    state.markSent(second, start + 10);
    // Only the 150 used of the first call, and the second's whole reservation.
    state.observeHeaders(start + 20, headers(150 + 1_100), start + 10, second);
    expect(state.completionAccounting).toBe("usage_only");
    state.settle(second, { promptTokens: 50, completionTokens: 100, totalTokens: 150 }, 1_000, start + 30);
    const third = state.reserve(start + 30, 1_100);
    state.markSent(third, start + 30);
    // Now every finished call keeps its whole reservation: a wrong belief here means provider 429s.
    state.observeHeaders(start + 40, headers(3 * 1_100), start + 30, third);
    expect(state.completionAccounting).toBe("reservation_kept");
  });

  describe("headers of a call sent while others ran, which finished before the headers arrived", () => {
    const headers = (used: number) => ({ tokensPerMinuteLimit: 8_000, tokensPerMinuteRemaining: 8_000 - used, tokensPerMinuteResetMs: 60_000 });
    const finishedUsing300 = { promptTokens: 200, completionTokens: 100, totalTokens: 300 };

    /** Calls of 1,000 tokens sent at 1 s, the carrier of the headers at 1.1 s, and the others finished at 1.2 s (300 used each). */
    function burst(state: ModelState, running: number): void {
      const reservations = Array.from({ length: running }, () => state.reserve(start + 1_000, 1_000));
      for (const reservation of reservations) state.markSent(reservation, start + 1_000);
      state.markSent(state.reserve(start + 1_100, 1_000), start + 1_100);
      for (const reservation of reservations) state.settle(reservation, finishedUsing300, 800, start + 1_200);
    }

    it("books no usage beyond its own count for them: Groq counted them whole when it wrote the headers", () => {
      const state = new ModelState("m", limits);
      // Groq counts only use, as another model's headers showed.
      state.adoptOrganizationAccounting("usage_only");
      burst(state, 2);
      // Written at 1.1 s: the two calls still running, at their whole reservation, and the carrier.
      state.observeHeaders(start + 1_300, headers(2 * 1_000 + 1_000), start + 1_100);
      expect(state.freeTokensPerMinute(start + 1_300)).toBe(8_000 - 2 * 300 - 1_000);
    });

    it("books none for another process's call that the shared quota shows settled only after the headers were written", () => {
      const state = new ModelState("m", limits);
      state.adoptOrganizationAccounting("usage_only");
      // Another process sent a call of 1,000 tokens at about 0.5 s; it settled at 300 used within
      // the second that ends at 2 s, after the headers below were written (1.1 s).
      state.mirrorForeignMinute([{ expiresAt: start + 61_000, requests: 1, tokens: 300, settled: { keptTokens: 1_000, usedTokens: 300, at: start + 2_000 } }], start + 1_000);
      state.markSent(state.reserve(start + 1_100, 1_000), start + 1_100);
      state.observeHeaders(start + 2_300, headers(1_000 + 1_000), start + 1_100);
      expect(state.freeTokensPerMinute(start + 2_300)).toBe(8_000 - 300 - 1_000);
    });

    it("does not take them for proof that Groq keeps whole reservations", () => {
      const state = new ModelState("m", limits);
      const earlier = state.reserve(start, 1_000);
      state.markSent(earlier, start);
      state.settle(earlier, finishedUsing300, 800, start + 500);
      burst(state, 4);
      // Groq counts only use: the earlier call at 300, the four running ones and the carrier whole.
      state.observeHeaders(start + 1_300, headers(300 + 4 * 1_000 + 1_000), start + 1_100);
      expect(state.completionAccounting).not.toBe("reservation_kept");
    });
  });

  describe("headers written before one of our calls left the minute, read after it had", () => {
    const headers = (used: number) => ({ tokensPerMinuteLimit: 8_000, tokensPerMinuteRemaining: 8_000 - used, tokensPerMinuteResetMs: 60_000 });

    /** A call of 2,000 tokens sent at 0 s (Groq's minute for it ends about 60 s later, ours at 60.5 s), and the carrier of the headers sent at 60.05 s. */
    function carrierAtTheMinutesTurn(state: ModelState): void {
      state.markSent(state.reserve(start, 2_000), start);
      state.markSent(state.reserve(start + 60_050, 1_000), start + 60_050);
    }

    it("books no one else's use for our call that Groq still counted when it admitted the carrier", () => {
      const state = new ModelState("m", limits);
      carrierAtTheMinutesTurn(state);
      // The model's first latency brings the headers at 60.9 s: our call left our window meanwhile.
      state.observeHeaders(start + 60_900, headers(2_000 + 1_000), start + 60_050);
      expect(state.freeTokensPerMinute(start + 61_000)).toBe(8_000 - 1_000);
    });

    it("still books use beyond that call, and beyond every call of ours, as someone else's", () => {
      const state = new ModelState("m", limits);
      carrierAtTheMinutesTurn(state);
      state.observeHeaders(start + 60_900, headers(2_000 + 1_000 + 1_500), start + 60_050);
      expect(state.freeTokensPerMinute(start + 61_000)).toBe(8_000 - 1_000 - 1_500);
    });
  });

  it("shows a wait estimate its running calls settling after about as long as its calls run, where Groq counts only use", () => {
    const state = new ModelState("m", limits);
    state.adoptOrganizationAccounting("usage_only");
    // Calls that ran 1 s and used 300 of their 1,000 teach the duration and the share.
    for (let call = 0; call < 30; call += 1) {
      const at = start + call * 1_000;
      const reservation = state.reserve(at, 1_000);
      state.markSent(reservation, at);
      state.settle(reservation, { promptTokens: 100, completionTokens: 200, totalTokens: 300 }, 900, at + 1_000);
    }
    const now = start + 30_000;
    state.markSent(state.reserve(now, 2_000), now);
    const timeline = state.timeline(now, 1_000);
    const settled = timeline?.charges.filter((charge) => charge.settles === undefined) ?? [];
    const running = timeline?.charges.filter((charge) => charge.settles !== undefined) ?? [];
    expect(settled).toHaveLength(30);
    expect(running).toHaveLength(1);
    // Learned from the calls: it settles after less than the 3 s assumed at first, to under half its reservation.
    expect(running[0]?.settles?.at).toBeGreaterThan(now + 1_000);
    expect(running[0]?.settles?.at).toBeLessThan(now + 2_000);
    expect(running[0]?.settles?.tokens).toBeLessThan(1_000);
    // Where Groq keeps reservations nothing comes back before the minute ends.
    const kept = new ModelState("m", limits);
    kept.markSent(kept.reserve(start, 2_000), start);
    expect(kept.timeline(start, 1_000)?.charges.map((charge) => charge.settles)).toEqual([undefined]);
  });

  it("leaves others only the room a waiting call will not need when the minute frees for it", () => {
    const roomBeside = (first: number, second: number): { tokens: number; requests: number } => {
      const state = new ModelState("m", limits);
      state.markSent(state.reserve(start, first), start);
      state.markSent(state.reserve(start + 10_000, second), start + 10_000);
      return state.roomBeside(start + 20_000, 2_000);
    };
    // 1,000 free now, but the waiting call starts when the first charge leaves and needs all it frees.
    expect(roomBeside(1_000, 6_000)).toEqual({ tokens: 0, requests: 28 });
    // The first charge frees 3,000: 1,500 of it would be left beside the waiting call, but only 500 is free now.
    expect(roomBeside(3_000, 4_500)).toEqual({ tokens: 500, requests: 28 });
    // Not held back by the minute (here, nothing at all): no room is worked out beside it.
    expect(new ModelState("m", limits).roomBeside(start, 2_000)).toEqual({ tokens: 0, requests: 0 });
  });

  it("learns the organization's real limits from the headers", () => {
    const state = new ModelState("m", limits);
    expect(state.limitsConfirmed).toBe(false);
    expect(state.unavailability(start, 20_000)).toBeUndefined();
    state.observeHeaders(start, { tokensPerMinuteLimit: 250_000, tokensPerMinuteRemaining: 250_000, requestsPerDayLimit: 14_400, requestsPerDayRemaining: 14_400 });
    expect(state.limitsConfirmed).toBe(true);
    expect(state.tokensPerMinuteLimit).toBe(250_000);
    expect(state.unavailability(start, 300_000)).toEqual({ kind: "too_large", limit: 250_000 });
  });

  it("raises the locally counted limits with the tier the headers reveal", () => {
    const state = new ModelState("m", limits);
    for (let index = 0; index < 30; index += 1) state.reserve(start, 10);
    expect(state.unavailability(start, 10)).toMatchObject({ kind: "quota", limit: "RPM" });
    // A paid organization: ten times the free tier's tokens per minute.
    state.observeHeaders(start, { tokensPerMinuteLimit: 80_000, tokensPerMinuteRemaining: 79_700 });
    expect(state.unavailability(start, 10)).toBeUndefined();
    for (let index = 0; index < 270; index += 1) state.reserve(start, 10);
    expect(state.unavailability(start, 10)).toMatchObject({ kind: "quota", limit: "RPM" });
  });

  it("cools down for the wait a 429 names: seconds for a minute limit, hours for a day limit", () => {
    const state = new ModelState("m", limits);
    state.observeFailure(start, failure("rate_limited", { window: "minute", retryAfterMs: 4_770 }));
    expect(state.unavailability(start + 1_000, 10)).toMatchObject({ kind: "cooling_down", until: start + 4_770 });
    state.observeFailure(start, failure("rate_limited", { window: "day", retryAfterMs: 3 * 3_600_000 }));
    expect(state.describe(start)).toMatchObject({ availableInMs: 3 * 3_600_000, note: "daily limit reached" });
  });

  it("opens a circuit breaker after repeated server errors and closes it after a success", () => {
    const state = new ModelState("m", limits);
    state.observeFailure(start, failure("server_error"));
    expect(state.unavailability(start, 10)).toBeUndefined();
    state.observeFailure(start, failure("timeout"));
    expect(state.unavailability(start, 10)).toMatchObject({ kind: "circuit_open", until: start + 15_000 });
    state.observeFailure(start + 15_000, failure("network"));
    expect(state.unavailability(start + 15_000, 10)).toMatchObject({ kind: "circuit_open", until: start + 45_000 });
    state.observeSuccess();
    state.observeFailure(start + 50_000, failure("server_error"));
    expect(state.unavailability(start + 50_000, 10)).toBeUndefined();
  });

  it("drops a gone model for good, and corrects an overestimate once the real usage is known", () => {
    const gone = new ModelState("m", limits);
    gone.observeFailure(start, failure("model_gone"));
    expect(gone.unavailability(start + 86_400_000, 1)?.kind).toBe("gone");

    const state = new ModelState("m", limits);
    const reservation = state.reserve(start, 6_000);
    expect(state.unavailability(start, 3_000)?.kind).toBe("quota");
    state.settle(reservation, { promptTokens: 400, completionTokens: 300, totalTokens: 700 }, 1_024, start);
    expect(state.freeTokensPerMinute(start)).toBe(8_000 - 1_424);
    expect(state.unavailability(start, 3_000)).toBeUndefined();
  });

  it("gives back a reservation the provider refused before charging", () => {
    const state = new ModelState("m", limits);
    const reservation = state.reserve(start, 7_000);
    state.release(reservation);
    expect(state.freeTokensPerMinute(start)).toBe(8_000);
  });
});
