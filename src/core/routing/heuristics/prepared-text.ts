import { foldForMatching } from "./fold-text.js";
import { countWords, splitWords } from "./words.js";

export interface FencedBlock {
  /** The info string after the opening fence, lower-cased; empty when the writer gave none. */
  readonly language: string;
  readonly body: string;
}

/** A prompt split once into the views the signal families read. */
export interface PreparedText {
  readonly original: string;
  readonly fencedBlocks: readonly FencedBlock[];
  /**
   * The text outside fenced code blocks. Math and keyword signals read only this view, so that
   * `x = a * 2` inside a code sample does not count as an equation.
   */
  readonly prose: string;
  /** `prose` lower-cased without diacritics, for the keyword lists. */
  readonly foldedProse: string;
  /** The words of `foldedProse` (each Chinese or Japanese character on its own), split once for the keyword index. */
  readonly foldedWords: readonly string[];
  /** The length of the prose in words, with two Chinese or Japanese characters counted as one word. */
  readonly wordCount: number;
}

// An unterminated fence (a message cut off mid-paste) still counts up to the end of the text.
const fencedBlock = /```[ \t]*([\w+#.-]*)[^\n]*\n?([\s\S]*?)(?:```|$)/g;

export function prepareText(text: string): PreparedText {
  const fencedBlocks: FencedBlock[] = [];
  const prose = text.replace(fencedBlock, (_whole, language: string, body: string) => {
    fencedBlocks.push({ language: language.toLowerCase(), body });
    return "\n";
  });
  const foldedProse = foldForMatching(prose);
  const foldedWords = splitWords(foldedProse);
  return { original: text, fencedBlocks, prose, foldedProse, foldedWords, wordCount: countWords(foldedWords) };
}
