/** Request checks Groq makes before it looks at quota: shape, completion budget, images, reasoning. */
import { invalidRequestError, type GroqErrorBody } from "./groq-errors.js";
import { isPresent, isRecord } from "./json-values.js";
import { validateReasoningParameters } from "./reasoning.js";
import type { FakeModelSpec } from "./types.js";

const maximumImagesPerRequest = 5;
/** Charged when the request names no completion budget (GROQ.md: max tokens count before the request runs). */
const defaultCompletionBudgetCap = 8_192;

export function validateChatRequest(spec: FakeModelSpec, body: Record<string, unknown>): GroqErrorBody | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return invalidRequestError("'messages' : value must be a non-empty array", "messages");
  }
  for (const parameter of ["max_completion_tokens", "max_tokens"] as const) {
    const value = body[parameter];
    if (!isPresent(value)) continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      return invalidRequestError(`\`${parameter}\` must be a positive integer`, parameter);
    }
    if (value > spec.maxOutputTokens) {
      return invalidRequestError(
        `\`${parameter}\` must be less than or equal to \`${spec.maxOutputTokens}\`, the maximum value for \`${parameter}\` is less than the \`context_window\` for this model`,
        parameter,
      );
    }
  }
  return validateImages(spec, messages) ?? validateReasoningParameters(spec, body);
}

/** What the request is charged up front for its answer. */
export function completionBudget(spec: FakeModelSpec, body: Record<string, unknown>): number {
  const requested = isPresent(body.max_completion_tokens) ? body.max_completion_tokens : body.max_tokens;
  return typeof requested === "number" ? requested : Math.min(spec.maxOutputTokens, defaultCompletionBudgetCap);
}

function validateImages(spec: FakeModelSpec, messages: readonly unknown[]): GroqErrorBody | undefined {
  let images = 0;
  for (const [index, message] of messages.entries()) {
    const content = isRecord(message) ? message.content : undefined;
    if (!Array.isArray(content)) continue;
    const imageParts = content.filter((part) => isRecord(part) && part.type === "image_url").length;
    // A text-only model accepts only string content, so any image part fails its schema.
    if (imageParts > 0 && spec.acceptsImages !== true) {
      return invalidRequestError(`messages[${index}].content must be a string`, `messages[${index}].content`);
    }
    images += imageParts;
  }
  if (images > maximumImagesPerRequest) {
    return invalidRequestError(`Too many images provided. This model supports up to ${maximumImagesPerRequest} images`, "messages");
  }
  return undefined;
}
