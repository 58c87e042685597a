import { describe, expect, it } from "vitest";
import { chargeWithContinuations, CompletionBudgets } from "../../../src/core/generation/completion-budgets.js";

/** The expected charge per answer of a fixed budget over these answer lengths, as the selector would pay it. */
function averageCharge(lengths: readonly number[], promptTokens: number, budget: number): number {
  return lengths.reduce((total, length) => total + chargeWithContinuations(promptTokens, budget, length), 0) / lengths.length;
}

describe("completion budgets learned from what answers use", () => {
  it("starts from the role's figure until enough answers have been seen", () => {
    const budgets = new CompletionBudgets();
    expect(budgets.budgetFor("chat", "m", "reservation_kept")).toBe(512);
    expect(budgets.budgetFor("code", "m", "reservation_kept")).toBe(768);
    for (let index = 0; index < 3; index += 1) budgets.observeAnswer("chat", "m", 100);
    expect(budgets.budgetFor("chat", "m", "reservation_kept")).toBe(512);
    budgets.observeAnswer("chat", "m", 100);
    expect(budgets.budgetFor("chat", "m", "reservation_kept")).toBeLessThan(512);
  });

  it("reads a handful of answers the same way while Groq's accounting is not known yet, a burst's first seconds", () => {
    const budgets = new CompletionBudgets();
    // Four short answers: the next one runs past all of them one time in five, so they move the
    // budget only part of the way from the starting one, whichever way Groq counts.
    for (let index = 0; index < 4; index += 1) budgets.observeAnswer("chat", "m", 100 + index * 20);
    // Read alone, the cheapest budget over them is their longest, 160.
    const unknown = budgets.budgetFor("chat", "m", "unknown");
    expect(unknown).toBe(Math.round((4 * 160 + 6 * 512) / 10));
    expect(unknown).toBe(budgets.budgetFor("chat", "m", "reservation_kept"));
  });

  it("weighs a handful of answers with the role's starting budget, and follows the answers alone from ten", () => {
    const budgets = new CompletionBudgets();
    // Four short logic answers of 200 tokens, but four say little of the role's longer ones.
    const learned = 200;
    const logicStart = 768;
    for (let index = 0; index < 4; index += 1) budgets.observeAnswer("logic", "m", 200);
    expect(budgets.budgetFor("logic", "m", "usage_only")).toBe(Math.round((4 * learned + 6 * logicStart) / 10));
    // What three answers in four use is read the same way, with 10% on top.
    expect(budgets.budgetFinishing(0.75, "logic", "m", "usage_only")).toBe(Math.round((4 * Math.ceil(learned * 1.1) + 6 * logicStart) / 10));
    for (let index = 0; index < 3; index += 1) budgets.observeAnswer("logic", "m", 200);
    expect(budgets.budgetFor("logic", "m", "usage_only")).toBe(Math.round((7 * learned + 3 * logicStart) / 10));
    for (let index = 0; index < 3; index += 1) budgets.observeAnswer("logic", "m", 200);
    expect(budgets.budgetFor("logic", "m", "usage_only")).toBe(learned);
    expect(budgets.oneCallBudget("logic", "m", "usage_only")).toBe(200);
  });

  it("counts an answer's continuations in what a budget costs while the reservation is kept", () => {
    // 250 tokens at a budget of 100: three calls, each keeping its prompt (with the answer so far) and budget.
    expect(chargeWithContinuations(50, 100, 250)).toBe(50 + 100 + (50 + 100 + 100) + (50 + 200 + 100));
    expect(chargeWithContinuations(50, 300, 250)).toBe(350);
  });

  it("picks the budget that charges the least per answer, none of the alternatives doing better", () => {
    const budgets = new CompletionBudgets();
    // Mostly short answers and a long tail: the worst case would waste most of every reservation.
    const lengths = [60, 80, 90, 100, 110, 120, 130, 150, 160, 180, 200, 220, 260, 300, 700, 900];
    for (const length of lengths) budgets.observeAnswer("chat", "m", length);
    const chosen = budgets.budgetFor("chat", "m", "reservation_kept", 128);
    const chosenCost = averageCharge(lengths, 128, chosen);
    for (let other = 160; other <= 2_048; other += 1) expect(chosenCost).toBeLessThanOrEqual(averageCharge(lengths, 128, other));
    expect(chosen).toBeLessThan(900);
  });

  it("learns answers to long prompts apart from answers to short ones of the same role", () => {
    const budgets = new CompletionBudgets();
    // Small talk answered in about 100 tokens, pasted texts summarised in about 700.
    for (let index = 0; index < 10; index += 1) {
      budgets.observeAnswer("chat", "m", 90 + index * 5, 40);
      budgets.observeAnswer("chat", "m", 650 + index * 10, 1_500);
    }
    const short = budgets.budgetFor("chat", "m", "usage_only", 40);
    const long = budgets.budgetFor("chat", "m", "usage_only", 1_500);
    expect(short).toBeLessThan(200);
    expect(long).toBeGreaterThanOrEqual(720);
    // A kind not seen yet on this model falls back to the role's answers of its size.
    expect(budgets.budgetFor("chat", "other-model", "usage_only", 40)).toBe(short);
    // Answers told by another process, whose prompts are not known, teach the role as a whole.
    const shared = new CompletionBudgets();
    for (let index = 0; index < 10; index += 1) shared.observeAnswer("chat", "m", 650 + index * 10);
    expect(shared.budgetFor("chat", "m", "usage_only", 40)).toBeGreaterThanOrEqual(720);
  });

  it("reads a long prompt's budget from its own few answers, never from the shorter answers to short prompts", () => {
    const budgets = new CompletionBudgets();
    // Plenty of small talk, answered in about 100 tokens.
    for (let index = 0; index < 20; index += 1) budgets.observeAnswer("chat", "m", 90 + index, 40);
    // No summary of a pasted text seen yet: the starting budget, not the small talk's.
    expect(budgets.budgetFor("chat", "m", "usage_only", 1_500)).toBe(512);
    // Four summaries of 390 tokens: weighed with the starting budget, as any handful is.
    for (let index = 0; index < 4; index += 1) budgets.observeAnswer("chat", "m", 390, 1_500);
    expect(budgets.budgetFor("chat", "m", "usage_only", 1_500)).toBe(Math.round((4 * 390 + 6 * 512) / 10));
    // A short prompt still reads the role's answers while its own size has seen few.
    const shortOnly = new CompletionBudgets();
    for (let index = 0; index < 6; index += 1) shortOnly.observeAnswer("chat", "m", 300);
    expect(shortOnly.budgetFor("chat", "m", "usage_only", 40)).toBe(Math.round((6 * 300 + 4 * 512) / 10));
  });

  it("hears of an answer cut at its budget before it goes on, and counts it once, whole, when it ends", () => {
    const budgets = new CompletionBudgets();
    for (let index = 0; index < 10; index += 1) budgets.observeAnswer("code", "m", 300, 40);
    expect(budgets.budgetFor("code", "m", "usage_only", 40)).toBe(300);
    // Three answers cut at a budget of 330: at least that long, so the budget moves up before they end.
    const cut = [0, 1, 2].map(() => budgets.observeCut("code", "m", 330, 40, undefined));
    expect(budgets.budgetFor("code", "m", "usage_only", 40)).toBe(330);
    // Cut again on the way: the same answer, now longer.
    const [first] = cut;
    if (first === undefined) throw new Error("no answer cut");
    expect(budgets.observeCut("code", "m", 600, 40, first)).toBe(first);
    expect(budgets.oneCallBudget("code", "m", "usage_only", 40)).toBe(600);
    for (const answer of cut) budgets.observeAnswer("code", "m", 900, 40, answer);
    expect(budgets.budgetFor("code", "m", "usage_only", 40)).toBe(900);
    // Thirteen answers, ten of 300 tokens: seven in ten of them fit in 300. Counted twice, the
    // cut answers would make sixteen, and the 70th percentile one of them.
    expect(budgets.budgetFinishing(0.7, "code", "m", "usage_only", 40)).toBe(330);
  });

  it("asks for more when a long prompt makes a continuation dear", () => {
    const budgets = new CompletionBudgets();
    for (const length of [100, 120, 140, 160, 180, 200, 400, 500, 600, 700]) budgets.observeAnswer("code", "m", length);
    expect(budgets.budgetFor("code", "m", "reservation_kept", 3_000)).toBeGreaterThan(budgets.budgetFor("code", "m", "reservation_kept", 50));
  });

  it("lets most answers finish in one call when finished calls count only what they used", () => {
    const budgets = new CompletionBudgets();
    for (let length = 50; length <= 1_000; length += 50) budgets.observeAnswer("logic", "m", length);
    const budget = budgets.budgetFor("logic", "m", "usage_only");
    // 18 of the 20 answers (90%) fit, with a little room; not the longest.
    expect(budget).toBeGreaterThanOrEqual(950);
    expect(budget).toBeLessThan(1_100);
  });

  it("moves with what answers use, within the role's bounds", () => {
    const budgets = new CompletionBudgets();
    for (let index = 0; index < 64; index += 1) budgets.observeAnswer("chat", "m", 100);
    const short = budgets.budgetFor("chat", "m", "usage_only");
    for (let index = 0; index < 64; index += 1) budgets.observeAnswer("chat", "m", 600);
    expect(budgets.budgetFor("chat", "m", "usage_only")).toBeGreaterThan(short);
    for (let index = 0; index < 64; index += 1) budgets.observeAnswer("chat", "m", 50_000);
    expect(budgets.budgetFor("chat", "m", "usage_only")).toBe(2_048);
    expect(budgets.budgetFor("chat", "m", "reservation_kept")).toBeLessThanOrEqual(2_048);
  });

  it("uses the role's answers for a model it has not seen answer yet, and every answer for a role with few", () => {
    const budgets = new CompletionBudgets();
    for (let index = 0; index < 10; index += 1) budgets.observeAnswer("logic", "first", 200);
    expect(budgets.budgetFor("logic", "second", "usage_only")).toBe(budgets.budgetFor("logic", "first", "usage_only"));
    // Chat has seen no answer: the answers of every role are a better guess than the fixed start.
    expect(budgets.budgetFor("chat", "second", "reservation_kept")).toBe(200);
    expect(budgets.budgetFor("chat", "second", "usage_only")).toBe(512);
    for (let index = 0; index < 10; index += 1) budgets.observeAnswer("chat", "first", 600);
    expect(budgets.budgetFor("chat", "second", "usage_only")).toBe(600);
  });

  it("reads a model's few answers with the role's newest, and lets its own take over as they come", () => {
    const budgets = new CompletionBudgets();
    // The role's answers run to 400 tokens; the first dozen on this model happened to be short.
    for (let index = 0; index < 20; index += 1) budgets.observeAnswer("chat", "other", 200 + index * 10, 40);
    for (let index = 0; index < 12; index += 1) budgets.observeAnswer("chat", "m", 180, 40);
    // Its twelve and the role's twenty newest (the other model's, 200 to 390): the 29th of the
    // 32 decides, not the 11th of its own twelve, which would cut a third of the role's answers.
    expect(budgets.budgetFor("chat", "m", "usage_only", 40)).toBe(360);
    // Its own answers, once they are as many as a budget reads, decide alone.
    for (let index = 0; index < 20; index += 1) budgets.observeAnswer("chat", "m", 180, 40);
    expect(budgets.budgetFor("chat", "m", "usage_only", 40)).toBe(180);
  });

  it("asks a continuation for what the longer answers seen still needed, and one longer than any seen for half, then twice, the call before", () => {
    const budgets = new CompletionBudgets();
    const lengths = [...Array.from({ length: 16 }, () => 100), 500, 600, 700, 800];
    for (const length of lengths) budgets.observeAnswer("chat", "m", length);
    const continued = { role: "chat", model: "m", accounting: "usage_only", promptTokens: 40, lastBudget: 300, continuation: 1 } as const;
    // Cut at 300: the answers seen that ran longer went to 500-800, so most finish within 500 more.
    expect(budgets.continuationBudget({ ...continued, spentTokens: 300 })).toBe(Math.ceil((800 - 300) * 1.1));
    // Nearly finished (only the 800-token answer ran longer): a small budget, not twice the last.
    expect(budgets.continuationBudget({ ...continued, spentTokens: 750 })).toBe(160);
    // Longer than every answer seen: half the call before at first (most such answers end soon
    // after), then twice the call before, up to the role's largest budget.
    expect(budgets.continuationBudget({ ...continued, spentTokens: 900, lastBudget: 600 })).toBe(300);
    expect(budgets.continuationBudget({ ...continued, spentTokens: 1_200, lastBudget: 300, continuation: 2 })).toBe(600);
    expect(budgets.continuationBudget({ ...continued, spentTokens: 3_000, lastBudget: 1_500, continuation: 3 })).toBe(2_048);
    // A last budget already above the role's largest (a long prompt) is not lowered by doubling.
    expect(budgets.continuationBudget({ ...continued, spentTokens: 3_000, lastBudget: 3_000, continuation: 3 })).toBe(3_000);
  });
});
