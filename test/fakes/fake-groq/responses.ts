/** Bodies of successful answers: the chat.completion JSON, the chat.completion.chunk events, the default answer text. */
import type { CompoundRun } from "./compound.js";
import { lastUserMessageText } from "./json-values.js";
import type { ReasoningPlan } from "./reasoning.js";
import { charactersForTokens, countTextTokens } from "./token-count.js";
import type { ChatCall } from "./types.js";

export interface CompletionIdentity {
  completionId: string;
  /** Groq's request id, sent in x_groq.id and the x-request-id header. */
  requestId: string;
  model: string;
  /** Unix seconds. */
  created: number;
}

export interface ComposedAnswer {
  /** What goes in message.content / delta.content, including <think> tags for qwen's raw format. */
  content: string;
  /** What goes in message.reasoning / delta.reasoning, when the request asked for it there. */
  reasoningField: string | undefined;
  finishReason: "stop" | "length";
  completionTokens: number;
}

/** Default answer: deterministic, so tests can assert on it; safety models answer like Llama Guard. */
export function defaultAnswer(call: ChatCall): string {
  if (call.model.includes("guard")) return "safe";
  const userText = lastUserMessageText(call.messages);
  const excerpt = userText.length > 200 ? `${userText.slice(0, 200)}…` : userText;
  return `Answer from ${call.model} to: ${excerpt}`;
}

/**
 * Places the reasoning and cuts the answer to the completion budget the way a model stops at
 * max_completion_tokens (finish_reason "length"). Reasoning is generated first, so it is kept first.
 */
export function composeAnswer(answerText: string, reasoning: ReasoningPlan, completionBudget: number): ComposedAnswer {
  const budgetCharacters = charactersForTokens(completionBudget);
  const reasoningText = reasoning.text.slice(0, budgetCharacters);
  const visibleAnswer = answerText.slice(0, budgetCharacters - reasoningText.length);
  const truncated = reasoningText.length < reasoning.text.length || visibleAnswer.length < answerText.length;
  const content = reasoning.placement === "think_tags_in_content" ? `<think>\n${reasoningText}\n</think>\n\n${visibleAnswer}` : visibleAnswer;
  return {
    content,
    reasoningField: reasoning.placement === "reasoning_field" ? reasoningText : undefined,
    finishReason: truncated ? "length" : "stop",
    // Hidden reasoning still costs tokens (GROQ.md), so it is counted whatever its placement.
    completionTokens: countTextTokens(reasoningText + visibleAnswer),
  };
}

export function usageBody(promptTokens: number, completionTokens: number, cachedTokens = 0) {
  // Times are plausible constants: nothing in Mami reads them, but the SDK's types expect them.
  return {
    queue_time: 0.01,
    prompt_tokens: promptTokens,
    ...(cachedTokens > 0 ? { prompt_tokens_details: { cached_tokens: cachedTokens } } : {}),
    prompt_time: 0.002,
    completion_tokens: completionTokens,
    completion_time: 0.05,
    total_tokens: promptTokens + completionTokens,
    total_time: 0.052,
  };
}

/** A compound system's usage, broken down by the models it ran (the fake names one). */
export function usageBreakdown(compound: CompoundRun, usage: ReturnType<typeof usageBody>) {
  return { models: [{ model: compound.answeringModel, usage }] };
}

export function completionBody(identity: CompletionIdentity, answer: ComposedAnswer, promptTokens: number, cachedTokens = 0, compound?: CompoundRun) {
  const usage = usageBody(promptTokens, answer.completionTokens, cachedTokens);
  const reasoning = compound?.reasoning ?? answer.reasoningField;
  return {
    id: identity.completionId,
    object: "chat.completion",
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: answer.content,
          ...(reasoning === undefined ? {} : { reasoning }),
          ...(compound === undefined ? {} : { executed_tools: compound.finishedTools }),
        },
        logprobs: null,
        finish_reason: answer.finishReason,
      },
    ],
    usage,
    ...(compound === undefined ? {} : { usage_breakdown: usageBreakdown(compound, usage) }),
    system_fingerprint: "fp_fake",
    service_tier: "on_demand",
    x_groq: { id: identity.requestId },
  };
}

export function chunkBody(
  identity: CompletionIdentity,
  delta: Record<string, unknown>,
  finishReason: ComposedAnswer["finishReason"] | null,
  extra: Record<string, unknown> = {},
) {
  return {
    id: identity.completionId,
    object: "chat.completion.chunk",
    created: identity.created,
    model: identity.model,
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...extra,
  };
}

/** Chunk sizes cycle through a few characters to a few words; the leading 4 splits "<think>" into "<thi" + "nk>". */
const pieceSizes = [4, 9, 3, 14, 6, 11];

export function splitIntoStreamPieces(text: string): string[] {
  const pieces: string[] = [];
  let position = 0;
  for (let index = 0; position < text.length; index += 1) {
    const size = pieceSizes[index % pieceSizes.length] ?? 8;
    pieces.push(text.slice(position, position + size));
    position += size;
  }
  return pieces;
}
