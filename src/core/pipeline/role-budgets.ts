import type { AnswerRole } from "../roles.js";

/** Completion budgets per role: Groq charges them against TPM up front, so ask for what the role needs. */
export const completionBudgets: Readonly<Record<AnswerRole, number>> = {
  chat: 1_024,
  logic: 2_048,
  code: 2_048,
  vision: 1_024,
  long_context: 2_048,
};

/** Reasoning costs tokens too: full effort where it pays (math, code), low elsewhere. */
export const reasoningEfforts: Readonly<Record<AnswerRole, "low" | "default">> = {
  chat: "low",
  logic: "default",
  code: "default",
  vision: "low",
  long_context: "low",
};
