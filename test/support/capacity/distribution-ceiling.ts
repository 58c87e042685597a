/**
 * A second reference for the bench, for when Groq keeps every call's whole completion budget for
 * the minute: there the oracle's ceiling (exact budgets, from knowing every answer's length) is
 * out of reach of any scheduler that does not know the future. This one knows, for each kind of
 * message (chat, code, logic, a pasted text), how long its answers run over the whole workload,
 * but not how long the next one will be: it asks every message of a kind for the one completion
 * budget that charges that kind least, continuing an answer that reaches it (each continuation
 * sends the prompt and the answer so far again, and keeps its own budget). On a model that
 * cannot answer without reasoning, its first call asks for as much more budget as that model's
 * least reasoning takes (it reasons before it answers), so the answer keeps the same room and the
 * message pays the same reasoning as in the oracle; a continuation's own reasoning is not counted,
 * as the oracle never continues (a little generous). Like the oracle it depends only on the
 * workload and the published limits, never on what Mami chose.
 */
import { countPromptTokens } from "../../fakes/fake-groq/index.js";
import { leastReasoningTokensByModel } from "./bench-models.js";
import type { OracleMessage } from "./oracle.js";
import type { BurstMessage, MessageKind } from "./workload.js";

/** What one answer of `length` tokens keeps of a minute when every call asks for `budget` and keeps it. */
export function keptCharge(promptTokens: number, budget: number, length: number): number {
  const calls = Math.max(1, Math.ceil(length / budget));
  let charged = 0;
  for (let call = 0; call < calls; call += 1) charged += promptTokens + call * budget + budget;
  return charged;
}

function bestBudget(answers: readonly { readonly prompt: number; readonly length: number }[]): number {
  let best = { budget: 1, cost: Number.POSITIVE_INFINITY };
  for (let budget = 16; budget <= 4_096; budget += 16) {
    const cost = answers.reduce((total, answer) => total + keptCharge(answer.prompt, budget, answer.length), 0);
    if (cost < best.cost) best = { budget, cost };
  }
  return best.budget;
}

export interface DistributionAwareMessages {
  readonly messages: OracleMessage[];
  readonly budgetByKind: ReadonlyMap<MessageKind, number>;
}

/**
 * Each message's charge under the best fixed budget for its kind (chosen on the answers alone,
 * whichever model answers), and on each of `answerModelIds` the reasoning that model cannot skip.
 */
export function distributionAwareMessages(messages: readonly BurstMessage[], systemPromptAllowance: number, answerModelIds: readonly string[]): DistributionAwareMessages {
  const promptOf = (message: BurstMessage): number => systemPromptAllowance + countPromptTokens([{ role: "user", content: message.text.trim() }]);
  const budgetByKind = new Map<MessageKind, number>();
  for (const kind of new Set(messages.map((message) => message.kind))) {
    budgetByKind.set(kind, bestBudget(messages.filter((message) => message.kind === kind).map((message) => ({ prompt: promptOf(message), length: message.answerTokens }))));
  }
  return {
    messages: messages.map((message) => ({
      arrivalMs: message.arrivalMs,
      tokens: keptCharge(promptOf(message), budgetByKind.get(message.kind) ?? 1, message.answerTokens),
      leastReasoningTokens: leastReasoningTokensByModel(message, answerModelIds),
    })),
    budgetByKind,
  };
}
