import { describe, expect, it } from "vitest";
import type { AttemptRecord } from "../../../src/core/errors.js";
import { estimateTextTokens } from "../../../src/core/models/token-estimate.js";
import type { ScreenOutcome } from "../../../src/core/safety/screen-content.js";
import { combineScreenOutcomes, splitForScreening } from "../../../src/core/safety/screen-parts.js";

const paragraph = (index: number): string => `Paragraph ${index}. ${"Some ordinary words about the weather and the sea. ".repeat(20)}`.trim();
const paragraphs = Array.from({ length: 12 }, (_, index) => paragraph(index)).join("\n\n");
const lines = Array.from({ length: 400 }, (_, index) => `line ${index}: value = ${index * 7}`).join("\n");
const oneLongWord = "x".repeat(20_000);
const cyrillic = "Привет, как дела? ".repeat(600);

/** Every stretch of `width` characters of the text is inside some part: nothing is left unread, even across a cut. */
function everyStretchIsRead(text: string, parts: readonly string[], width: number): boolean {
  for (let start = 0; start + width <= text.length; start += 37) {
    const stretch = text.slice(start, start + width);
    if (!parts.some((part) => part.includes(stretch))) return false;
  }
  return true;
}

describe("a long text cut into parts for the safety screen", () => {
  it.each([
    { what: "paragraphs", text: paragraphs, maxTokens: 600 },
    { what: "lines of a log", text: lines, maxTokens: 300 },
    { what: "one word longer than a part", text: oneLongWord, maxTokens: 1_200 },
    { what: "text in another script", text: cyrillic, maxTokens: 1_200 },
  ])("$what: every part within the limit, every character read", ({ text, maxTokens }) => {
    const parts = splitForScreening(text, maxTokens);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(estimateTextTokens(part)).toBeLessThanOrEqual(maxTokens);
    expect(parts.join("").length).toBeGreaterThanOrEqual(text.length);
    // Words cut apart at a boundary are read together in the next part, which repeats the end of the one before.
    expect(everyStretchIsRead(text, parts, 100)).toBe(true);
  });

  it("cuts between paragraphs when it can", () => {
    const parts = splitForScreening(paragraphs, 600);
    for (const part of parts.slice(0, -1)) expect(part.endsWith("\n\n")).toBe(true);
    for (let index = 0; index < 12; index += 1) expect(parts.some((part) => part.includes(paragraph(index)))).toBe(true);
  });

  it("leaves a text within the limit whole", () => {
    expect(splitForScreening("hello there", 1_200)).toEqual(["hello there"]);
  });
});

describe("one verdict for a message screened in parts", () => {
  const attempt: AttemptRecord = { model: "m", role: "safety", outcome: "answered", ms: 1 };
  const safe: ScreenOutcome = { result: { outcome: "safe" }, attempts: [attempt], tokens: 10 };
  const unsafe = (category: string): ScreenOutcome => ({ result: { outcome: "unsafe", categories: [category] }, attempts: [attempt], tokens: 5 });
  const unavailable: ScreenOutcome = { result: { outcome: "unavailable", reason: "no model" }, attempts: [], tokens: 0 };
  it.each([
    { what: "safe when every part is", parts: [safe, safe], expected: { outcome: "safe" } },
    { what: "unsafe when any part is, naming every category", parts: [safe, unsafe("hate"), unavailable, unsafe("privacy")], expected: { outcome: "unsafe", categories: ["hate", "privacy"] } },
    { what: "unavailable when a part could not be screened", parts: [safe, unavailable], expected: { outcome: "unavailable", reason: "no model" } },
  ])("$what", ({ parts, expected }) => {
    const combined = combineScreenOutcomes(parts);
    expect(combined.result).toEqual(expected);
    expect(combined.tokens).toBe(parts.reduce((total, part) => total + part.tokens, 0));
    // Parts screened in one call share its attempt: it is listed once.
    expect(combined.attempts).toEqual(parts.some((part) => part.attempts.length > 0) ? [attempt] : []);
  });
});
