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
  if (text.length < rememberedFromLength) return countTextTokens(text);
  const known = rememberedEstimates.get(text);
  if (known !== undefined) return known;
  const estimate = countTextTokens(text);
  if (rememberedEstimates.size >= maxRememberedEstimates) rememberedEstimates.delete(rememberedEstimates.keys().next().value ?? "");
  rememberedEstimates.set(text, estimate);
  return estimate;
}

/**
 * Long texts' estimates are remembered: the selector estimates the same prompt once per candidate
 * model and again for every wait estimate, and counting a 600,000-character document each time
 * held the event loop for a third of a second. A Map finds a string it has seen by its cached hash.
 */
const rememberedFromLength = 20_000;
const maxRememberedEstimates = 8;
const rememberedEstimates = new Map<string, number>();

/** Runs of characters outside ASCII: found by the regular expression engine, many times faster than a loop over the text. */
const nonAsciiRuns = /[^\u0000-\u007f]+/g;

function countTextTokens(text: string): number {
  let other = 0;
  for (const run of text.matchAll(nonAsciiRuns)) other += run[0].length;
  return Math.ceil((text.length - other) / 4 + other / 2);
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
