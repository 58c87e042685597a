import type { AttemptRecord } from "../errors.js";
import { estimateTextTokens } from "../models/token-estimate.js";
import type { ScreenOutcome, ScreenResult } from "./screen-content.js";

/**
 * Where a long text is cut, best first: between paragraphs, between lines, after a sentence,
 * between words. Each keeps its separator with the piece before it, so the parts together are
 * the whole text.
 */
const boundaries: readonly RegExp[] = [/(?<=\n[ \t]*\n)/, /(?<=\n)/, /(?<=[.!?。！？]\s)/, /(?<=\s)/];

/**
 * Each part after the first repeats the end of the one before, so that words cut apart at a
 * boundary are still read together once. Characters, at most half a token each.
 */
const overlapCharacters = 240;
const overlapTokens = overlapCharacters / 2;

/** Pieces of at most `maxTokens`, cut at the best boundary that gets them there. */
function pieces(text: string, maxTokens: number, level: number): readonly string[] {
  if (estimateTextTokens(text) <= maxTokens) return [text];
  const boundary = boundaries[level];
  if (boundary === undefined) {
    // One word longer than a part: cut by characters (two characters are a token at most).
    const cut: string[] = [];
    for (let start = 0; start < text.length; start += maxTokens * 2) cut.push(text.slice(start, start + maxTokens * 2));
    return cut;
  }
  return text.split(boundary).flatMap((piece) => pieces(piece, maxTokens, level + 1));
}

/** The end of a part that the next one starts with: from a word boundary when there is one. */
function overlapOf(part: string): string {
  const tail = part.slice(-overlapCharacters);
  const wordStart = tail.search(/\s/);
  return wordStart < 0 || tail.length < overlapCharacters ? tail : tail.slice(wordStart + 1);
}

/**
 * A text cut into parts the safety model can take, at paragraph and line boundaries where it
 * can: every character is in some part, so the screen reads all of what a model will read. A
 * text within `maxTokens` is one part.
 */
export function splitForScreening(text: string, maxTokens: number): readonly string[] {
  if (estimateTextTokens(text) <= maxTokens) return [text];
  const budget = Math.max(1, maxTokens - overlapTokens);
  const parts: string[] = [];
  let current = "";
  let tokens = 0;
  for (const piece of pieces(text, budget, 0)) {
    const cost = estimateTextTokens(piece);
    if (current !== "" && tokens + cost > budget) {
      parts.push(current);
      current = overlapOf(current);
      tokens = estimateTextTokens(current);
    }
    current += piece;
    tokens += cost;
  }
  if (current !== "") parts.push(current);
  return parts;
}

/**
 * One verdict for a message screened in parts: unsafe when any part is (naming every category
 * found), unavailable when any part could not be screened, safe only when every part is.
 */
export function combineScreenOutcomes(outcomes: readonly ScreenOutcome[]): ScreenOutcome {
  const results = outcomes.map((outcome) => outcome.result);
  const unsafe = results.filter((result): result is Extract<ScreenResult, { outcome: "unsafe" }> => result.outcome === "unsafe");
  const unavailable = results.find((result) => result.outcome === "unavailable");
  const result: ScreenResult =
    unsafe.length > 0
      ? { outcome: "unsafe", categories: [...new Set(unsafe.flatMap((verdict) => verdict.categories))] }
      : (unavailable ?? { outcome: "safe" });
  // Parts screened in one call share its attempt records: each is listed once.
  const attempts: AttemptRecord[] = [...new Set(outcomes.flatMap((outcome) => outcome.attempts))];
  return { result, attempts, tokens: outcomes.reduce((total, outcome) => total + outcome.tokens, 0) };
}
