/**
 * The fake's documented token estimate. Real tokenizers differ per model; the fake only needs a
 * rule that tests and the selector can predict:
 *   prompt = ceil(characters of all text parts / 4) + 4 per message + 800 per image part.
 */

import { isRecord } from "./json-values.js";

const charactersPerToken = 4;
const tokensPerMessage = 4;
const tokensPerImage = 800;

export function countPromptTokens(messages: unknown[]): number {
  let characters = 0;
  let images = 0;
  for (const message of messages) {
    const content = isRecord(message) ? message.content : undefined;
    if (typeof content === "string") {
      characters += content.length;
      continue;
    }
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      if (!isRecord(part)) continue;
      if (part.type === "text" && typeof part.text === "string") characters += part.text.length;
      if (part.type === "image_url") images += 1;
    }
  }
  return Math.ceil(characters / charactersPerToken) + tokensPerMessage * messages.length + tokensPerImage * images;
}

/** Tokens of generated text (answer or reasoning), by the same characters-per-token rule. */
export function countTextTokens(text: string): number {
  return Math.ceil(text.length / charactersPerToken);
}

/** Characters of generated text that fit in a token budget. */
export function charactersForTokens(tokens: number): number {
  return Math.max(0, tokens) * charactersPerToken;
}
