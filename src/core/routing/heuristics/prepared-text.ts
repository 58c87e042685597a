import { foldForMatching } from "./fold-text.js";

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
  /** The words of `foldedProse`, split once for the keyword index and the length of the message. */
  readonly foldedWords: readonly string[];
}

// An unterminated fence (a message cut off mid-paste) still counts up to the end of the text.
const fencedBlock = /```[ \t]*([\w+#.-]*)[^\n]*\n?([\s\S]*?)(?:```|$)/g;
const word = /[\p{L}\p{N}_]+/gu;

export function prepareText(text: string): PreparedText {
  const fencedBlocks: FencedBlock[] = [];
  const prose = text.replace(fencedBlock, (_whole, language: string, body: string) => {
    fencedBlocks.push({ language: language.toLowerCase(), body });
    return "\n";
  });
  const foldedProse = foldForMatching(prose);
  return { original: text, fencedBlocks, prose, foldedProse, foldedWords: foldedProse.match(word) ?? [] };
}
