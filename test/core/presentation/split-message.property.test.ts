import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitMessage, splitMessageDetailed } from "../../../src/core/presentation/split-message.js";

const letters = [..."abcdefghijklmnopqrstuvwxyzABCDEFXYZ0123456789"];
const symbols = ["é", "ß", "😀", "👍🏽", "<", ">", "&", "*", "_", ".", ",", "!", "?", "(", ")", "|", "#", "-"];

const plainWord = fc.string({ unit: fc.constantFrom(...letters), minLength: 1, maxLength: 10 });
const word = fc.oneof(
  { weight: 10, arbitrary: plainWord },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...letters, ...symbols), minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: plainWord.map((inner) => `\`${inner}\``) },
  { weight: 1, arbitrary: plainWord.map((inner) => `**${inner}**`) },
);
const wordSpacing = fc.constantFrom(" ", " ", " ", "  ", "\t");

/** A word longer than a part: hard cuts, and surrogate pairs at every possible cut. */
function longWord(limit: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom("x", "ab", "😀", "é", "a😀"), fc.integer({ min: 1, max: Math.ceil(limit * 2.5) }))
    .map(([unit, count]) => unit.repeat(count));
}

/**
 * A line of words, sometimes with one word longer than a part. Repeating a few generated words
 * reaches lines longer than the limit without generating every word.
 */
function line(limit: number): fc.Arbitrary<string> {
  const words = fc.array(fc.tuple(word, wordSpacing), { minLength: 1, maxLength: 8 });
  const repeats = fc.integer({ min: 1, max: Math.max(1, Math.ceil(limit / 60)) });
  const overLongWord = fc.oneof({ weight: 7, arbitrary: fc.constant("") }, { weight: 1, arbitrary: longWord(limit) });
  return fc.tuple(words, repeats, overLongWord, fc.boolean()).map(([wordsAndSpaces, count, long, longFirst]) => {
    const text = wordsAndSpaces.map(([wordText, spacing]) => wordText + spacing).join("").repeat(count).trimEnd();
    if (long === "") return text;
    return longFirst ? `${long} ${text}` : `${text} ${long}`;
  });
}

function paragraph(limit: number): fc.Arbitrary<string> {
  return fc.array(line(limit), { minLength: 1, maxLength: 4 }).map((lines) => lines.join("\n"));
}

function list(limit: number): fc.Arbitrary<string> {
  const bullet = fc.constantFrom("- ", "* ", "1. ", "2. ", "  - ", "    * ");
  return fc.array(fc.tuple(bullet, line(limit)), { minLength: 1, maxLength: 6 }).map((items) => items.map(([marker, text]) => marker + text).join("\n"));
}

const heading = fc.tuple(fc.integer({ min: 1, max: 4 }), plainWord, plainWord).map(([level, first, second]) => `${"#".repeat(level)} ${first} ${second}`);

/** A fenced block of many languages and sizes, sometimes indented in a list, sometimes never closed. */
function codeBlock(limit: number): fc.Arbitrary<string> {
  const codeLine = fc.oneof(
    { weight: 12, arbitrary: fc.tuple(fc.constantFrom("", "  ", "    ", "\t"), line(Math.min(limit, 80))).map(([indent, text]) => indent + text) },
    { weight: 2, arbitrary: fc.constant("") },
    // Lines that look like fences but, inside the block, are not its end (or, for ``` in ```, are).
    { weight: 1, arbitrary: fc.constantFrom("```inner", "~~~", "```", "  ~~~ not closing", "x = `a` + `b`") },
  );
  return fc
    .record({
      marker: fc.constantFrom("```", "```", "~~~", "````"),
      language: fc.constantFrom("ts", "python", "bash", "json", "sql", "", "c++", "typescript"),
      indentation: fc.constantFrom("", "", "", "   "),
      lines: fc.array(codeLine, { minLength: 0, maxLength: 12 }),
      repeats: fc.integer({ min: 1, max: Math.max(1, Math.ceil(limit / 150)) }),
      closed: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    })
    .map(({ marker, language, indentation, lines, repeats, closed }) => {
      const body = Array.from({ length: repeats }, () => lines).flat();
      const opening = `${indentation}${marker}${language}`;
      return [opening, ...body, ...(closed ? [`${indentation}${marker}`] : [])].join("\n");
    });
}

function markdown(limit: number): fc.Arbitrary<string> {
  const block = fc.oneof(
    { weight: 4, arbitrary: paragraph(limit) },
    { weight: 2, arbitrary: list(limit) },
    { weight: 1, arbitrary: heading },
    { weight: 3, arbitrary: codeBlock(limit) },
  );
  const blockBreak = fc.constantFrom("\n\n", "\n\n", "\n", "\n\n\n", "\n  \n");
  return fc
    .tuple(
      fc.constantFrom("", "", "\n", "  \n\n"),
      fc.array(fc.tuple(block, blockBreak), { minLength: 1, maxLength: 8 }),
      fc.constantFrom("", "", "\n", " \n\n"),
    )
    .map(([leading, blocks, trailing]) => leading + blocks.map(([text, separator]) => text + separator).join("").trimEnd() + trailing);
}

const limitAndMarkdown = fc
  .oneof({ weight: 3, arbitrary: fc.integer({ min: 50, max: 400 }) }, { weight: 1, arbitrary: fc.integer({ min: 400, max: 4096 }) })
  .chain((limit) => fc.tuple(fc.constant(limit), markdown(limit)));

/**
 * The fence open at the end of `text`, read line by line as a renderer does (written apart from
 * the splitter's own reading, so the two check each other).
 */
function fenceOpenAtEnd(text: string): string | undefined {
  let open: string | undefined;
  for (const textLine of text.split("\n")) {
    const fence = /^\s*(`{3,}|~{3,})(.*)$/.exec(textLine);
    if (fence === null) continue;
    const marker = fence[1]!;
    const rest = fence[2]!;
    if (open === undefined) {
      if (!(marker.startsWith("`") && rest.includes("`"))) open = marker;
    } else if (marker[0] === open[0] && marker.length >= open.length && rest.trim() === "") {
      open = undefined;
    }
  }
  return open;
}

describe("splitMessage, for any markdown and limit", () => {
  it("keeps parts within the limit, non-empty and balanced, and rejoins to the original", () => {
    fc.assert(
      fc.property(limitAndMarkdown, ([limit, text]) => {
        const split = splitMessageDetailed(text, limit);
        const { parts, separators } = split;

        expect(splitMessage(text, limit)).toEqual(parts.map((part) => part.text));
        expect(separators).toHaveLength(parts.length + 1);
        let rejoined = separators[0]!;
        parts.forEach((part, index) => {
          rejoined += part.source + separators[index + 1]!;
        });
        expect(rejoined).toBe(text);
        for (const separator of separators) expect(separator).toMatch(/^\s*$/);

        parts.forEach((part, index) => {
          expect(part.text.length).toBeLessThanOrEqual(limit);
          expect(part.source).toMatch(/\S/);
          // Apart from the source, a part holds only the fence lines the splitter added.
          expect(part.text).toBe(part.reopening + part.source + part.closing);
          expect(part.reopening).toMatch(/^(?:(`{3,}|~{3,})[^\s`]*\n)?$/);
          expect(part.closing).toMatch(/^(?:\n(`{3,}|~{3,}))?$/);
          expect(fenceOpenAtEnd(part.text)).toBeUndefined();
          // A block closed at the end of one part is the one reopened at the start of the next.
          const next = parts[index + 1];
          if (next !== undefined) {
            const reopenedMarker = /^(`{3,}|~{3,})/.exec(next.reopening)?.[1] ?? "";
            expect(reopenedMarker).toBe(part.closing.slice(1));
          }
        });
        expect(text.trim() === "").toBe(parts.length === 0);
      }),
      { numRuns: 300 },
    );
  });
});
