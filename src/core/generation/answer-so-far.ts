/**
 * What a continuation shows the model of the answer it is continuing. Sending the whole answer
 * so far is most of what a continuation costs: a prompt of hundreds of tokens, charged again
 * against the same minute, to write the last few dozen (docs/architecture.md, "Continuations").
 * The model needs the end, to go on from the word where it stopped, so a long answer is shown
 * from a line near its end, marked as the end of something longer, with the line that opened a
 * code block still open there, so that the model knows it is writing code, and in which language.
 */

/** About how much of a long answer's end a continuation shows: a paragraph, or a dozen lines of code. */
export const shownEndCharacters = 600;

/** Begins what is shown when the answer's beginning is left out. */
export const leftOutMarker = "[…]";

const fenceLine = /^\s*(```|~~~)/;

/** The answer so far as a continuation shows it: all of it when short, otherwise its end. */
export function answerSoFarShown(produced: string): string {
  if (produced.length <= shownEndCharacters) return produced;
  const start = readableStart(produced, produced.length - shownEndCharacters);
  const openFence = openCodeFenceBefore(produced, start);
  return [leftOutMarker, ...(openFence === undefined ? [] : [openFence]), produced.slice(start)].join("\n");
}

/**
 * Where the shown end begins, at or after `from`: the next line's start, or a word's when no
 * line starts in the first half of what would be shown (prose written as one paragraph).
 */
function readableStart(produced: string, from: number): number {
  const halfway = from + shownEndCharacters / 2;
  const lineStart = produced.indexOf("\n", from - 1) + 1;
  if (lineStart > 0 && lineStart <= halfway) return lineStart;
  const wordStart = produced.indexOf(" ", from) + 1;
  return wordStart > 0 && wordStart <= halfway ? wordStart : from;
}

/** The line that opened a code block still open at `position`, if any. */
function openCodeFenceBefore(produced: string, position: number): string | undefined {
  let open: string | undefined;
  for (const line of produced.slice(0, position).split("\n")) {
    if (!fenceLine.test(line)) continue;
    open = open === undefined ? line.trim() : undefined;
  }
  return open;
}
