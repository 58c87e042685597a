import { describe, expect, it } from "vitest";
import type { MinuteTimeline } from "../../../src/core/models/model-state.js";
import { estimateStart } from "../../../src/core/selection/wait-estimate.js";

const now = 1_000_000;
const minute = 60_500;

function timeline(charges: MinuteTimeline["charges"], overrides: Partial<MinuteTimeline> = {}): MinuteTimeline {
  return { tokensPerMinute: 8_000, requestsPerMinute: 30, charges, blockedUntil: now, settledShare: 1, callDurationMs: 3_000, chargeLengthMs: minute, ...overrides };
}

describe("wait estimates", () => {
  it("starts a request at once when its model has room", () => {
    expect(estimateStart(now, new Map([["a", timeline([])]]), [], new Map([["a", 1_000]]))).toBe(now);
  });

  it("waits for the charges to leave the minute, the oldest first", () => {
    const full = timeline([
      { expiresAt: now + 10_000, tokens: 3_000, requests: 1 },
      { expiresAt: now + 20_000, tokens: 3_000, requests: 1 },
      { expiresAt: now + 30_000, tokens: 2_000, requests: 1 },
    ]);
    expect(estimateStart(now, new Map([["a", full]]), [], new Map([["a", 2_500]]))).toBe(now + 10_000);
    expect(estimateStart(now, new Map([["a", full]]), [], new Map([["a", 5_500]]))).toBe(now + 20_000);
  });

  it("places the requests ahead first, each on whichever of its models frees first", () => {
    const models = new Map([
      ["a", timeline([{ expiresAt: now + 10_000, tokens: 8_000, requests: 1 }])],
      ["b", timeline([{ expiresAt: now + 20_000, tokens: 8_000, requests: 1 }])],
    ]);
    const both = new Map([
      ["a", 8_000],
      ["b", 8_000],
    ]);
    const waiting = { costs: both, deadlineAt: now + 5 * minute };
    // Two ahead take a at 10 s and b at 20 s; the next waits for the first of them to leave a's minute.
    expect(estimateStart(now, models, [waiting, waiting], both)).toBe(now + 10_000 + minute);
    // The first ahead gives up at 5 s, before any model frees: it takes nothing, and the next gets b.
    expect(estimateStart(now, models, [{ costs: both, deadlineAt: now + 5_000 }, waiting], both)).toBe(now + 20_000);
  });

  it("counts a settled call at what it uses when Groq counts only that", () => {
    const usageOnly = timeline([{ expiresAt: now + 30_000, tokens: 8_000, requests: 1 }], { settledShare: 0.25 });
    const ahead = new Map([["a", 4_000]]);
    // The one ahead gets in at 30 s and settles to 1,000: this one fits beside it.
    expect(estimateStart(now, new Map([["a", usageOnly]]), [{ costs: ahead, deadlineAt: now + minute }], new Map([["a", 4_000]]))).toBe(now + 30_000);
  });

  it("holds a running call's reservation only until it settles, where Groq counts only use", () => {
    const running = { expiresAt: now + 50_000, tokens: 6_000, requests: 1 };
    const settling = { ...running, settles: { at: now + 2_000, tokens: 1_500 } };
    const request = new Map([["a", 4_000]]);
    // Held whole for the minute, it would keep the request out until it leaves.
    expect(estimateStart(now, new Map([["a", timeline([running])]]), [], request)).toBe(now + 50_000);
    expect(estimateStart(now, new Map([["a", timeline([settling])]]), [], request)).toBe(now + 2_000);
  });

  it("holds the whole reservation of a request placed ahead while it runs, then what it settles to", () => {
    const usageOnly = timeline([], { settledShare: 0.25, callDurationMs: 3_000 });
    const ahead = { costs: new Map([["a", 6_000]]), deadlineAt: now + minute };
    // The one ahead starts now and runs 3 s holding 6,000; settled to 1,500 it leaves room for 4,000.
    expect(estimateStart(now, new Map([["a", usageOnly]]), [ahead], new Map([["a", 4_000]]))).toBe(now + 3_000);
  });

  it("knows no start for a request no model can take, and waits out a cooldown", () => {
    expect(estimateStart(now, new Map(), [], new Map([["gone", 1_000]]))).toBeUndefined();
    expect(estimateStart(now, new Map([["a", timeline([], { blockedUntil: now + 7_000 })]]), [], new Map([["a", 1_000]]))).toBe(now + 7_000);
  });
});
