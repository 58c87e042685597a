import type { ModelMessage } from "../ports/model-client.js";

/** What an image costs in prompt tokens; Groq does not publish a formula, so err high. */
export const imageTokenEstimate = 1_000;
const perMessageOverhead = 4;

/**
 * A fast, tokenizer-free estimate. Latin text runs about four characters a token; other scripts
 * (Cyrillic, Greek, CJK) and Turkish diacritics tokenize denser, so non-ASCII counts double.
 * Selection adds its own margin, and every response's real usage corrects the local counts.
 */
export function estimateTextTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (text.charCodeAt(index) < 128) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / 4 + other / 2);
}

export function estimateMessagesTokens(messages: readonly ModelMessage[]): number {
  let total = 0;
  for (const message of messages) {
    total += perMessageOverhead;
    if (typeof message.content === "string") {
      total += estimateTextTokens(message.content);
      continue;
    }
    for (const part of message.content) {
      total += part.type === "text" ? estimateTextTokens(part.text) : imageTokenEstimate;
    }
  }
  return total;
}

/** Estimates run a little low on code and non-Latin text; this margin keeps provider 429s rare. */
export const estimateMargin = 1.1;
