/**
 * Chinese and Japanese are written without spaces between words, so each of their characters
 * is a word of its own here: "明天天气" is 明 天 天 气, and the keyword "天气" is the two words
 * 天 气 in a row. Every other script splits on anything that is not a letter, a mark (Devanagari
 * vowel signs are marks inside a word), a digit or "_", and where Latin letters meet another script.
 *
 * The ideographs are explicit ranges (Han with the iteration mark 々, hiragana, katakana) rather
 * than Unicode script properties, whose tables are built on first use in every new process:
 * `mami route` is one short process, and that cost showed in its start-up.
 */
const ideographRanges = "\\u3005\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
const ideograph = `[${ideographRanges}]`;
/** Latin letters, digits and "_", which start a new word where another script glues onto them. */
const latin = "[\\w\\u00c0-\\u024f\\u1e00-\\u1eff]";
/**
 * One word: a single ideograph, a run of Latin word characters, or a run of the word characters
 * of another script. Technical names glued to a suffix in another script ("git에서", "SQL로")
 * come apart, so "git" and "sql" are found whatever the language around them.
 */
const word = new RegExp(`${ideograph}|${latin}+|(?:(?!${ideograph}|${latin})[\\p{L}\\p{M}\\p{N}])+`, "gu");
const ideographOnly = new RegExp(`^${ideograph}$`);
const onlyAscii = /^[\x00-\x7f]*$/;
const asciiWord = /\w+/g;
/**
 * Words of letters, marks and digits in any alphabet, each maybe ending in "*", separated by
 * single spaces: "how many", "курс доллара", "सोने का भाव". Told apart by what they lack (ASCII
 * punctuation and ideographs), so no Unicode class needs compiling to split them.
 */
const spaceSeparatedWords = new RegExp(`^[^\\x00-\\x2f\\x3a-\\x40\\x5b-\\x5e\\x60\\x7b-\\x7f${ideographRanges}]+\\*?(?: [^\\x00-\\x2f\\x3a-\\x40\\x5b-\\x5e\\x60\\x7b-\\x7f${ideographRanges}]+\\*?)*$`);
const onlyIdeographs = new RegExp(`^[${ideographRanges}]+$`);

export function splitWords(foldedText: string): string[] {
  // Most prompts are plain ASCII, where a word is what \w says.
  return (onlyAscii.test(foldedText) ? foldedText.match(asciiWord) : foldedText.match(word)) ?? [];
}

export interface KeywordWord {
  readonly text: string;
  /** Written with a trailing "*": any word that starts with `text` matches. */
  readonly isPrefix: boolean;
}

/**
 * The words of a folded keyword, split exactly as a text is, with the same expression: a second
 * expression over the same Unicode classes would cost its own compilation at every start.
 */
export function splitKeyword(foldedKeyword: string): KeywordWord[] {
  // Thousands of keywords are split at every start; almost all are words joined by spaces, or ideographs.
  if (spaceSeparatedWords.test(foldedKeyword)) return foldedKeyword.split(" ").map(toKeywordWord);
  if (onlyIdeographs.test(foldedKeyword)) return Array.from(foldedKeyword, toKeywordWord);
  const expression = onlyAscii.test(foldedKeyword) ? asciiWord : word;
  const words: KeywordWord[] = [];
  expression.lastIndex = 0;
  for (let match = expression.exec(foldedKeyword); match !== null; match = expression.exec(foldedKeyword)) {
    words.push({ text: match[0], isPrefix: foldedKeyword[expression.lastIndex] === "*" });
  }
  return words;
}

function toKeywordWord(written: string): KeywordWord {
  return written.endsWith("*") ? { text: written.slice(0, -1), isPrefix: true } : { text: written, isPrefix: false };
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
