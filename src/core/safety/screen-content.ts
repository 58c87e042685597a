import type { ModelServices } from "../core-services.js";
import type { ModelProfile } from "../models/catalog.js";
import { NoModelAvailableError, type AttemptRecord } from "../errors.js";
import { collectGeneration } from "../generation/collect-generation.js";
import { generateWithFallback } from "../generation/generate-with-fallback.js";
import { describeCategories, parseSafetyVerdict } from "./categories.js";
import { buildSafetyPrompt, type ScreenedContent } from "./safety-prompt.js";

export type ScreenResult =
  | { readonly outcome: "safe" }
  | { readonly outcome: "unsafe"; readonly categories: readonly string[] }
  | { readonly outcome: "unavailable"; readonly reason: string };

/** Llama Guard answers in a line; a reasoning classifier (gpt-oss-safeguard) thinks first. */
const safetyCompletionBudget = (profile: ModelProfile): number => (profile.reasoningFamily === "none" ? 16 : 256);
const safetyTimeoutMs = 8_000;
/** Screening must not double the wait: a short queue at most, then the outage policy. */
const safetyQueueWaitMs = 2_000;

/**
 * One short call to the safety chain, through the same selector and fallback as answers. An
 * answer that is neither `safe` nor `unsafe…` counts as an outage, not as a pass.
 */
export async function screenContent(
  content: ScreenedContent,
  services: ModelServices,
  signal: AbortSignal | undefined,
): Promise<{ readonly result: ScreenResult; readonly attempts: readonly AttemptRecord[] }> {
  try {
    const generation = await collectGeneration(
      generateWithFallback(
        {
          role: "safety",
          candidates: services.registry.chain("safety"),
          needsImages: false,
          completionBudget: safetyCompletionBudget,
          reasoningEffort: "low",
          buildPrompt: (profile) => ({ messages: buildSafetyPrompt(profile, content) }),
          arrivedAt: services.clock.now(),
          maxQueueWaitMs: safetyQueueWaitMs,
          timeoutMs: safetyTimeoutMs,
          ...(signal === undefined ? {} : { signal }),
        },
        services,
      ),
    );
    const verdict = parseSafetyVerdict(generation.text);
    if (verdict === undefined) {
      services.logger.warn({ model: generation.model, answer: generation.text.slice(0, 80) }, "safety model gave an unreadable verdict");
      return { result: { outcome: "unavailable", reason: "unreadable verdict" }, attempts: generation.attempts };
    }
    return {
      result: verdict.safe ? { outcome: "safe" } : { outcome: "unsafe", categories: describeCategories(verdict.categories) },
      attempts: generation.attempts,
    };
  } catch (error) {
    if (error instanceof NoModelAvailableError) {
      return { result: { outcome: "unavailable", reason: error.message }, attempts: error.attempts };
    }
    throw error;
  }
}
