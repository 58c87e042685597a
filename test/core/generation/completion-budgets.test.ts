import { describe, expect, it } from "vitest";
import { CompletionBudgets } from "../../../src/core/generation/completion-budgets.js";

describe("completion budgets learned from what answers use", () => {
  it("starts from the role's figure, then follows a high percentile of recent answers", () => {
    const budgets = new CompletionBudgets();
    const start = budgets.budgetFor("chat", "m");
    for (let index = 0; index < 20; index += 1) budgets.observe("chat", "m", 100 + index, start, false);
    const learned = budgets.budgetFor("chat", "m");
    expect(learned).toBeLessThan(start);
    expect(learned).toBeGreaterThanOrEqual(Math.ceil(117 * 1.15));
  });

  it("climbs when answers keep stopping at their budget, within the role's bounds", () => {
    const budgets = new CompletionBudgets();
    for (let index = 0; index < 20; index += 1) budgets.observe("code", "m", 300, 300, false);
    const short = budgets.budgetFor("code", "m");
    for (let index = 0; index < 20; index += 1) budgets.observe("code", "m", short, short, true);
    const longer = budgets.budgetFor("code", "m");
    expect(longer).toBeGreaterThan(short);
    for (let index = 0; index < 200; index += 1) budgets.observe("code", "m", 50_000, 50_000, true);
    expect(budgets.budgetFor("code", "m")).toBe(4_096);
  });

  it("uses the role's answers for a model it has not seen answer yet", () => {
    const budgets = new CompletionBudgets();
    for (let index = 0; index < 10; index += 1) budgets.observe("logic", "first", 200, 1_024, false);
    expect(budgets.budgetFor("logic", "second")).toBe(budgets.budgetFor("logic", "first"));
    expect(budgets.budgetFor("chat", "second")).toBe(new CompletionBudgets().budgetFor("chat", "second"));
  });
});
