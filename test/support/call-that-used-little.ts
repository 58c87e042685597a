import type { ModelRegistry } from "../../src/core/models/model-registry.js";

/**
 * One finished call on `model` that used 100 of its 1,000-token budget, then another sent, and
 * the headers of that one, which count only the 150 the first used: from them the registry
 * learns that Groq gives unused budget back (usage only).
 */
export function callThatUsedLittle(registry: ModelRegistry, model: string, at: number): void {
  const state = registry.state(model);
  const reservation = state.reserve(at, 1_100);
  state.markSent(reservation, at);
  state.settle(reservation, { promptTokens: 50, completionTokens: 100, totalTokens: 150 }, 1_000, at);
  const next = state.reserve(at + 10, 1_100);
  state.markSent(next, at + 10);
  // Groq's headers for the next call: the first counts 150, the next its whole 1,100.
  registry.recordHeaders(model, at + 20, { tokensPerMinuteLimit: 8_000, tokensPerMinuteRemaining: 8_000 - 150 - 1_100, tokensPerMinuteResetMs: 60_000 }, at + 10, next);
}
