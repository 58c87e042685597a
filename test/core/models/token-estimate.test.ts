/**
 * The token estimate counts ASCII at four characters a token and everything else at two. Long
 * texts are counted with a regular expression and remembered (a 600,000-character document is
 * estimated once per candidate model and per wait estimate); these tests hold the faster count
 * to the plain one, character by character, and check that a remembered estimate is never
 * another text's.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimateTextTokens } from "../../../src/core/models/token-estimate.js";

/** The estimate as first written: one character at a time. */
function countedOneByOne(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (text.charCodeAt(index) < 128) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / 4 + other / 2);
}

/** Text mixing scripts, control characters, emoji (two UTF-16 units each) and lone surrogates. */
const mixedText = fc.string({ unit: fc.oneof(fc.constantFrom("a", " ", "\n", "\u007f", "\u0080", "ş", "Ж", "漢", "😀", "\ud800"), fc.string({ unit: "grapheme", maxLength: 1 })), maxLength: 200 });

describe("estimateTextTokens", () => {
  it("counts ASCII at four characters a token and other characters at two", () => {
    expect(estimateTextTokens("")).toBe(0);
    expect(estimateTextTokens("abcd")).toBe(1);
    expect(estimateTextTokens("abcde")).toBe(2);
    expect(estimateTextTokens("привет")).toBe(3);
    expect(estimateTextTokens("ab ÇŞ")).toBe(2);
  });

  it("gives the character-by-character count for any short text", () => {
    fc.assert(fc.property(mixedText, (text) => estimateTextTokens(text) === countedOneByOne(text)));
  });

  it("gives the character-by-character count for long texts, the first time and when asked again", () => {
    fc.assert(
      fc.property(mixedText, fc.integer({ min: 20_000, max: 60_000 }), (piece, length) => {
        const text = `${piece}${"ü".repeat(length % 7)}${"x".repeat(length)}${piece}`;
        const expected = countedOneByOne(text);
        return estimateTextTokens(text) === expected && estimateTextTokens(text) === expected;
      }),
      { numRuns: 40 },
    );
  });

  it("never answers a long text with the estimate remembered for another of the same length", () => {
    const ascii = "a".repeat(30_000);
    const cyrillic = "ж".repeat(30_000);
    expect(estimateTextTokens(ascii)).toBe(7_500);
    expect(estimateTextTokens(cyrillic)).toBe(15_000);
    // More distinct long texts than are remembered, then the first ones again.
    for (let index = 0; index < 20; index += 1) expect(estimateTextTokens(`${"ж".repeat(index)}${"a".repeat(30_000 - index)}`)).toBe(countedOneByOne(`${"ж".repeat(index)}${"a".repeat(30_000 - index)}`));
    expect(estimateTextTokens(ascii)).toBe(7_500);
    expect(estimateTextTokens(cyrillic)).toBe(15_000);
  });
});
