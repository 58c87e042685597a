import type { AnswerRole } from "../roles.js";

/**
 * How many completion tokens to ask for. Groq charges the budget against TPM before a call
 * runs, so asking every answer for the worst case (2,048 tokens when answers use a few hundred)
 * shrinks a model's minute to a handful of requests. The budget is what answers of the kind
 * really used: a high percentile of the recent `usage.completion_tokens` per role and model,
 * within bounds. An answer that reaches it is continued at once (see generate-with-fallback),
 * so a long answer costs a second call rather than every short answer a reservation four times
 * too big.
 */

/** What a role starts with before any answer has been seen. */
const startingBudgets: Readonly<Record<AnswerRole, number>> = {
  chat: 640,
  logic: 1_024,
  code: 1_024,
  vision: 640,
  long_context: 1_024,
};

/** Never less: room for a short answer (and a reasoning model's short thought). */
const smallestBudget = 192;
/** Never more: a longer answer is continued instead. */
const largestBudgets: Readonly<Record<AnswerRole, number>> = {
  chat: 2_048,
  logic: 4_096,
  code: 4_096,
  vision: 2_048,
  long_context: 4_096,
};
/** Answers remembered per role and per role and model. */
const samplesKept = 64;
/** Fewer answers than this and the role's figure (or the starting budget) is used instead. */
const samplesNeeded = 5;
const percentile = 0.9;
/** Headroom over the percentile, so that answers of a usual length end within one call. */
const headroom = 1.15;
/**
 * An answer that stopped at its budget says only that it needed more: counted at this multiple
 * of the budget, so the percentile climbs when answers keep reaching it.
 */
const cutAnswerWeight = 1.5;

class RecentSamples {
  private readonly values: number[] = [];

  add(value: number): void {
    this.values.push(value);
    if (this.values.length > samplesKept) this.values.shift();
  }

  get size(): number {
    return this.values.length;
  }

  percentile(fraction: number): number {
    const sorted = [...this.values].sort((first, second) => first - second);
    return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
  }
}

export class CompletionBudgets {
  private readonly byRole = new Map<AnswerRole, RecentSamples>();
  private readonly byRoleAndModel = new Map<string, RecentSamples>();

  /** The budget to ask `model` for when it answers for `role`. */
  budgetFor(role: AnswerRole, model: string): number {
    const samples = [this.byRoleAndModel.get(`${role}\u0000${model}`), this.byRole.get(role)].find((candidate) => (candidate?.size ?? 0) >= samplesNeeded);
    const learned = samples === undefined ? startingBudgets[role] : Math.ceil(samples.percentile(percentile) * headroom);
    return Math.max(smallestBudget, Math.min(largestBudgets[role], learned));
  }

  /** Learns from one finished call: the tokens it used, and whether it stopped at its budget. */
  observe(role: AnswerRole, model: string, completionTokens: number, budget: number, stoppedAtBudget: boolean): void {
    const value = stoppedAtBudget ? Math.max(completionTokens, budget) * cutAnswerWeight : completionTokens;
    for (const samples of [this.samplesOf(this.byRole, role), this.samplesOf(this.byRoleAndModel, `${role}\u0000${model}`)]) samples.add(value);
  }

  private samplesOf<Key>(map: Map<Key, RecentSamples>, key: Key): RecentSamples {
    let samples = map.get(key);
    if (samples === undefined) {
      samples = new RecentSamples();
      map.set(key, samples);
    }
    return samples;
  }
}
