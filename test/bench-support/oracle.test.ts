import { describe, expect, it } from "vitest";
import { oracleCeiling, scheduleBackfillingOracle, scheduleOracle, type OracleModel } from "../support/capacity/oracle.js";

/** Small limits, so that each case can be checked by hand. */
function model(id: string, limits: Partial<Omit<OracleModel, "id">> = {}): OracleModel {
  return { id, requestsPerMinute: 30, requestsPerDay: 1_000, tokensPerMinute: 1_000, tokensPerDay: 200_000, ...limits };
}

const minute = 60_000;

describe("the oracle scheduler", () => {
  it("starts a message at its arrival when the window has room, and otherwise when an earlier charge leaves the window", () => {
    const dispatches = scheduleOracle(
      [
        { arrivalMs: 0, tokens: 600 },
        { arrivalMs: 5, tokens: 600 },
      ],
      [model("a")],
      minute,
    );
    // 600 + 600 > 1,000: the second waits until the first has been in the window for a full minute.
    expect(dispatches).toEqual([
      { model: "a", atMs: 0 },
      { model: "a", atMs: minute },
    ]);
  });

  it("counts requests per minute as well as tokens", () => {
    const dispatches = scheduleOracle(
      [0, 1, 2].map((arrivalMs) => ({ arrivalMs, tokens: 10 })),
      [model("a", { requestsPerMinute: 2 })],
      2 * minute,
    );
    expect(dispatches.map((dispatch) => dispatch?.atMs)).toEqual([0, 1, minute]);
  });

  it("gives a message to another model when the first has no room, the earlier model winning a tie", () => {
    const dispatches = scheduleOracle(
      [
        { arrivalMs: 0, tokens: 600 },
        { arrivalMs: 0, tokens: 600 },
        { arrivalMs: 0, tokens: 300 },
      ],
      [model("a"), model("b")],
      minute,
    );
    expect(dispatches).toEqual([
      { model: "a", atMs: 0 },
      { model: "b", atMs: 0 },
      { model: "a", atMs: 0 },
    ]);
  });

  it("lets a later small message start before an earlier one that waits, unless it would push that one's admission over the limit", () => {
    const fitsBoth = scheduleOracle(
      [
        { arrivalMs: 0, tokens: 500 },
        { arrivalMs: 100, tokens: 600 },
        { arrivalMs: 200, tokens: 400 },
      ],
      [model("a")],
      3 * minute,
    );
    // The second waits for the first to leave (at 60 s); the third fits beside the first at once,
    // and at 60 s the window holds 400 + 600 = 1,000: still within the limit.
    expect(fitsBoth.map((dispatch) => dispatch?.atMs)).toEqual([0, minute, 200]);

    const wouldOverflow = scheduleOracle(
      [
        { arrivalMs: 0, tokens: 500 },
        { arrivalMs: 100, tokens: 600 },
        { arrivalMs: 200, tokens: 450 },
      ],
      [model("a")],
      3 * minute,
    );
    // 500 + 450 fits at 200 ms, but then the window at 60 s would hold 450 + 600 = 1,050; at 60 s
    // itself the same; only once the second leaves (120 s) does the third fit.
    expect(wouldOverflow.map((dispatch) => dispatch?.atMs)).toEqual([0, minute, 2 * minute]);
  });

  it("turns away a message it cannot start by its deadline, and that message costs nothing", () => {
    const dispatches = scheduleOracle(
      [
        { arrivalMs: 0, tokens: 900 },
        { arrivalMs: 10, tokens: 900 },
        { arrivalMs: 20, tokens: 100 },
      ],
      [model("a")],
      30_000,
    );
    expect(dispatches).toEqual([{ model: "a", atMs: 0 }, undefined, { model: "a", atMs: 20 }]);
  });

  it("never admits a message larger than a model's whole minute", () => {
    expect(scheduleOracle([{ arrivalMs: 0, tokens: 1_001 }], [model("a")], 10 * minute)).toEqual([undefined]);
  });

  it("respects the daily token limit", () => {
    const dispatches = scheduleOracle(
      [
        { arrivalMs: 0, tokens: 800 },
        { arrivalMs: 0, tokens: 800 },
      ],
      [model("a", { tokensPerMinute: 10_000, tokensPerDay: 1_000 })],
      10 * minute,
    );
    expect(dispatches).toEqual([{ model: "a", atMs: 0 }, undefined]);
  });

  it("with backfilling, lets a later message go ahead where the first waiting one still starts when it would have", () => {
    const messages = [
      { arrivalMs: 0, tokens: 700 },
      { arrivalMs: 1_000, tokens: 500 },
      { arrivalMs: 1_500, tokens: 500 },
      { arrivalMs: 2_000, tokens: 300 },
    ];
    // The 300 fits now and beside the first waiting message when the 700 leaves at 60 s; the
    // second waiting one is not protected, and starts when the 300 leaves.
    expect(scheduleBackfillingOracle(messages, [model("a")], 10 * minute)).toEqual([
      { model: "a", atMs: 0 },
      { model: "a", atMs: 60_000 },
      { model: "a", atMs: 62_000 },
      { model: "a", atMs: 2_000 },
    ]);
    // Never delaying anyone placed before it, the 300 waits until both 500s have had their minute.
    expect(scheduleOracle(messages, [model("a")], 10 * minute)[3]).toEqual({ model: "a", atMs: 120_000 });
    // The ceiling takes the better of the two for each figure (here both answer all four within
    // their deadlines), and keeps a schedule that answers as many.
    const ceiling = oracleCeiling(messages, [model("a")], 10 * minute);
    expect(ceiling).toMatchObject({ firstMinute: 3, withinDeadlines: 4 });
    expect(ceiling.withinDeadlinesSchedule.filter((dispatch) => dispatch !== undefined)).toHaveLength(4);
  });

  it("takes the best of the schedulers also giving a message up before its deadline, where that lets more through", () => {
    const messages = [
      { arrivalMs: 0, tokens: 1_000 },
      // Could start when the first leaves the window, at 60 s, just within its deadline...
      { arrivalMs: 1_000, tokens: 1_000 },
      // ...but then these two, which fit together at 60 s, would wait past theirs.
      { arrivalMs: 30_000, tokens: 500 },
      { arrivalMs: 30_000, tokens: 500 },
    ];
    expect(scheduleOracle(messages, [model("a")], minute).filter((dispatch) => dispatch !== undefined)).toHaveLength(2);
    // Given up after half its deadline, the second leaves 60 s to the other two.
    const ceiling = oracleCeiling(messages, [model("a")], minute);
    expect(ceiling).toMatchObject({ firstMinute: 3, withinDeadlines: 3 });
    expect(ceiling.withinDeadlinesSchedule).toEqual([{ model: "a", atMs: 0 }, undefined, { model: "a", atMs: minute }, { model: "a", atMs: minute }]);
  });

  it("prices a message on each model with the reasoning that model cannot skip, and may send it elsewhere for that", () => {
    const messages = [
      { arrivalMs: 0, tokens: 200 },
      // 850 on the reasoning model, where 200 are already in the window: only the plain one has room now.
      { arrivalMs: 10, tokens: 750, leastReasoningTokens: new Map([["reasoning", 100]]) },
      { arrivalMs: 20, tokens: 900 },
    ];
    const models = [model("reasoning"), model("plain")];
    expect(scheduleOracle(messages, models, minute)).toEqual([
      { model: "reasoning", atMs: 0 },
      { model: "plain", atMs: 10 },
      // Neither has room for 900 until the 200 leaves the reasoning model's window.
      { model: "reasoning", atMs: minute },
    ]);
    // Without the reasoning, the second fits beside the first (950) and the third takes the plain model at once.
    const withoutReasoning = messages.map(({ arrivalMs, tokens }) => ({ arrivalMs, tokens }));
    expect(scheduleOracle(withoutReasoning, models, minute)).toEqual([
      { model: "reasoning", atMs: 0 },
      { model: "reasoning", atMs: 10 },
      { model: "plain", atMs: 20 },
    ]);
  });

  it("keeps in the window what a message cost on the model it went to, reasoning included", () => {
    const messages = [
      { arrivalMs: 0, tokens: 900, leastReasoningTokens: new Map([["a", 50]]) },
      // 950 + 60 > 1,000: waits for the first to leave; without its reasoning the first would leave room.
      { arrivalMs: 1, tokens: 60 },
    ];
    const withoutReasoning = messages.map(({ arrivalMs, tokens }) => ({ arrivalMs, tokens }));
    for (const schedule of [scheduleOracle, scheduleBackfillingOracle]) {
      expect(schedule(messages, [model("a")], 2 * minute).map((dispatch) => dispatch?.atMs)).toEqual([0, minute]);
      expect(schedule(withoutReasoning, [model("a")], 2 * minute).map((dispatch) => dispatch?.atMs)).toEqual([0, 1]);
    }
    // Reasoning priced on another model costs nothing here.
    const reasoningElsewhere = messages.map((message) => ({ ...message, leastReasoningTokens: new Map([["b", 500]]) }));
    expect(scheduleOracle(reasoningElsewhere, [model("a")], 2 * minute).map((dispatch) => dispatch?.atMs)).toEqual([0, 1]);
  });

  it("with backfilling, protects the first waiting message's start at its price with reasoning", () => {
    const messages = [
      { arrivalMs: 0, tokens: 600 },
      // 500 + 150 of reasoning: does not fit beside the 600, so it waits for it to leave at 60 s.
      { arrivalMs: 1_000, tokens: 500, leastReasoningTokens: new Map([["a", 150]]) },
      // Fits now (600 + 400), but at 60 s it would leave 600 beside it for the 650 that waits.
      { arrivalMs: 2_000, tokens: 400 },
    ];
    expect(scheduleBackfillingOracle(messages, [model("a")], 10 * minute)).toEqual([
      { model: "a", atMs: 0 },
      { model: "a", atMs: minute },
      { model: "a", atMs: 2 * minute },
    ]);
    // At the waiting message's 500 alone, 400 + 500 fits at 60 s: the 400 would go ahead.
    const withoutReasoning = messages.map(({ arrivalMs, tokens }) => ({ arrivalMs, tokens }));
    expect(scheduleBackfillingOracle(withoutReasoning, [model("a")], 10 * minute)[2]).toEqual({ model: "a", atMs: 2_000 });
  });

  it("counts the first minute from the burst's start and the horizon by each message's own deadline", () => {
    const ceiling = oracleCeiling(
      [
        { arrivalMs: 0, tokens: 600 },
        { arrivalMs: 1_000, tokens: 600 },
        { arrivalMs: 2_000, tokens: 600 },
      ],
      [model("a")],
      minute,
    );
    // At 0, at 60 s (within the first minute, and within the second's deadline), the third
    // only at 120 s, past its deadline: turned away.
    expect(ceiling).toEqual({ firstMinute: 2, withinDeadlines: 2, withinDeadlinesSchedule: [{ model: "a", atMs: 0 }, { model: "a", atMs: minute }, undefined] });
  });
});
