/**
 * Chinese and Japanese are written without spaces between words, so each of their characters
 * is a word of its own here: "明天天气" is 明 天 天 气, and the keyword "天气" is the two words
 * 天 气 in a row. Every other script splits on anything that is not a letter, a mark (Devanagari
 * vowel signs are marks inside a word), a digit or "_".
 */
const ideograph = String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]`;
/** One word: a single ideograph, or a run of other word characters. */
export const wordSource = String.raw`${ideograph}|(?:[\p{L}\p{M}\p{N}_](?<!${ideograph}))+`;

const word = new RegExp(wordSource, "gu");
const ideographOnly = new RegExp(`^${ideograph}$`, "u");

export function splitWords(foldedText: string): string[] {
  return foldedText.match(word) ?? [];
}

/**
 * How long a message is, in words as a reader of an alphabetic language would count them. A
 * Chinese or Japanese word is about two characters, so two ideographs count as one word.
 */
export function countWords(words: readonly string[]): number {
  let ideographs = 0;
  // An ideograph is a word of one character; the length check spares the expression almost every word.
  for (const candidate of words) if (candidate.length === 1 && ideographOnly.test(candidate)) ideographs += 1;
  return words.length - ideographs + Math.ceil(ideographs / 2);
}
