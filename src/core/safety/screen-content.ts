import { NoModelAvailableError, type AttemptRecord } from "../errors.js";
import { completeModelCall } from "../generation/run-model-call.js";
import { ServiceCall } from "../generation/service-call.js";
import type { ModelProfile } from "../models/catalog.js";
import type { ModelMessage } from "../ports/model-client.js";
import type { ServiceRole } from "../roles.js";
import type { ModelServices } from "../services.js";
import { describeCategories, parseSafetyVerdict } from "./categories.js";
import { buildImageSafetyPrompt, buildSafetyPrompt, type ScreenedContent } from "./safety-prompt.js";

export type ScreenResult =
  | { readonly outcome: "safe" }
  | { readonly outcome: "unsafe"; readonly categories: readonly string[] }
  | { readonly outcome: "unavailable"; readonly reason: string };

export interface ScreenOutcome {
  readonly result: ScreenResult;
  readonly attempts: readonly AttemptRecord[];
  /** What screening this content cost in tokens (its share of a call shared with other messages), for the user's budget. */
  readonly tokens: number;
}

/** Llama Guard answers in a line; a reasoning classifier (gpt-oss-safeguard, qwen) thinks first. */
const safetyCompletionBudget = (profile: ModelProfile): number => (profile.reasoningFamily === "none" ? 16 : 256);
const safetyTimeoutMs = 8_000;
/** Screening must not double the wait: a short queue at most, then the outage policy. */
const safetyQueueWaitMs = 2_000;

function readVerdict(answer: string): ScreenResult | undefined {
  const verdict = parseSafetyVerdict(answer);
  if (verdict === undefined) return undefined;
  return verdict.safe ? { outcome: "safe" } : { outcome: "unsafe", categories: describeCategories(verdict.categories) };
}

/**
 * One screen through a safety chain like any model call. An answer that is neither `safe` nor
 * `unsafe…` is not a pass: the next screener is asked, and only when none can give a readable
 * verdict is the screen "unavailable" (SAFETY_ON_OUTAGE decides then).
 */
async function screenThrough(
  role: ServiceRole,
  needsImages: boolean,
  messagesFor: (profile: ModelProfile) => readonly ModelMessage[],
  services: ModelServices,
  signal: AbortSignal | undefined,
): Promise<ScreenOutcome> {
  const call = new ServiceCall(
    {
      role,
      candidates: services.registry.chain(role),
      needsImages,
      messagesFor,
      completionBudgetFor: safetyCompletionBudget,
      arrivedAt: services.clock.now(),
      maxQueueWaitMs: safetyQueueWaitMs,
      timeoutMs: safetyTimeoutMs,
      read: readVerdict,
    },
    services.client,
  );
  try {
    const { outcome, attempts, spentTokens } = await completeModelCall(call, services, signal);
    return { result: outcome, attempts, tokens: spentTokens };
  } catch (error) {
    if (error instanceof NoModelAvailableError) {
      return { result: { outcome: "unavailable", reason: error.message }, attempts: error.attempts, tokens: error.spentTokens };
    }
    throw error;
  }
}

/** One text (a part of a user's turn, or an answer) screened on its own through the safety chain. */
export function screenContent(content: ScreenedContent, services: ModelServices, signal: AbortSignal | undefined): Promise<ScreenOutcome> {
  return screenThrough("safety", false, (profile) => buildSafetyPrompt(profile, content), services, signal);
}

/**
 * A message's images, screened through the image chain (MODELS_SAFETY_VISION): screeners that
 * take images, following our written policy (or Llama Guard while Groq serves it). An image
 * that no screener can read leaves the screen "unavailable", and the outage policy decides.
 */
export function screenImages(content: ScreenedContent, services: ModelServices, signal: AbortSignal | undefined): Promise<ScreenOutcome> {
  return screenThrough("safety_vision", true, (profile) => buildImageSafetyPrompt(profile, content), services, signal);
}
