import { NoModelAvailableError, type AttemptRecord } from "../errors.js";
import { completeModelCall } from "../generation/run-model-call.js";
import { ServiceCall } from "../generation/service-call.js";
import type { ModelProfile } from "../models/catalog.js";
import type { ModelServices } from "../services.js";
import { describeCategories, parseSafetyVerdict } from "./categories.js";
import { buildSafetyPrompt, type ScreenedContent } from "./safety-prompt.js";

export type ScreenResult =
  | { readonly outcome: "safe" }
  | { readonly outcome: "unsafe"; readonly categories: readonly string[] }
  | { readonly outcome: "unavailable"; readonly reason: string };

export interface ScreenOutcome {
  readonly result: ScreenResult;
  readonly attempts: readonly AttemptRecord[];
}

/** Llama Guard answers in a line; a reasoning classifier (gpt-oss-safeguard) thinks first. */
const safetyCompletionBudget = (profile: ModelProfile): number => (profile.reasoningFamily === "none" ? 16 : 256);
const safetyTimeoutMs = 8_000;
/** Screening must not double the wait: a short queue at most, then the outage policy. */
const safetyQueueWaitMs = 2_000;

/**
 * One content screened on its own, through the safety chain like any model call. An answer that
 * is neither `safe` nor `unsafe…` is not a pass: the next screener is asked, and only when none
 * can give a readable verdict is the screen "unavailable" (SAFETY_ON_OUTAGE decides then).
 */
export async function screenContent(content: ScreenedContent, services: ModelServices, signal: AbortSignal | undefined): Promise<ScreenOutcome> {
  const call = new ServiceCall(
    {
      role: "safety",
      candidates: services.registry.chain("safety"),
      needsImages: false,
      messagesFor: (profile) => buildSafetyPrompt(profile, content),
      completionBudgetFor: safetyCompletionBudget,
      arrivedAt: services.clock.now(),
      maxQueueWaitMs: safetyQueueWaitMs,
      timeoutMs: safetyTimeoutMs,
      read: (answer): ScreenResult | undefined => {
        const verdict = parseSafetyVerdict(answer);
        if (verdict === undefined) return undefined;
        return verdict.safe ? { outcome: "safe" } : { outcome: "unsafe", categories: describeCategories(verdict.categories) };
      },
    },
    services.client,
  );
  try {
    const { outcome, attempts } = await completeModelCall(call, services, signal);
    return { result: outcome, attempts };
  } catch (error) {
    if (error instanceof NoModelAvailableError) {
      return { result: { outcome: "unavailable", reason: error.message }, attempts: error.attempts };
    }
    throw error;
  }
}
