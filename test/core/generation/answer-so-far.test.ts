import { describe, expect, it } from "vitest";
import { answerSoFarShown, leftOutMarker, shownEndCharacters } from "../../../src/core/generation/answer-so-far.js";

/** Numbered lines of prose, each about 60 characters. */
function proseLines(count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, index) => `Line ${from + index} of the answer goes on about quotas and minutes.`);
}

describe("what a continuation shows of the answer so far", () => {
  it("shows a short answer whole", () => {
    const produced = proseLines(5).join("\n");
    expect(produced.length).toBeLessThanOrEqual(shownEndCharacters);
    expect(answerSoFarShown(produced)).toBe(produced);
  });

  it("shows a long answer from a line near its end, marked as the end of something longer", () => {
    const lines = proseLines(40);
    const produced = `${lines.join("\n")}\nAnd the last line stops mid-sen`;
    const shown = answerSoFarShown(produced);
    const [marker, firstShownLine, ...rest] = shown.split("\n");
    expect(marker).toBe(leftOutMarker);
    // Whole lines from the answer's end: the first shown is one of the answer's lines, and the
    // shown end is the answer's end, word for word.
    expect(lines).toContain(firstShownLine);
    expect(produced.endsWith([firstShownLine, ...rest].join("\n"))).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(leftOutMarker.length + 1 + shownEndCharacters);
    expect(shown.length).toBeGreaterThan(shownEndCharacters / 2);
    expect(shown).not.toContain("Line 1 of");
  });

  it("starts at a word in prose written as one paragraph", () => {
    const produced = `${proseLines(30).join(" ")} and then`;
    const shown = answerSoFarShown(produced);
    const end = shown.slice(`${leftOutMarker}\n`.length);
    expect(shown.startsWith(`${leftOutMarker}\n`)).toBe(true);
    expect(produced.endsWith(end)).toBe(true);
    expect(produced.charAt(produced.length - end.length - 1)).toBe(" ");
  });

  it("keeps the line that opened a code block still open, so the model knows it is writing code", () => {
    const code = Array.from({ length: 40 }, (_, index) => `    total = total + values[${index}]  # add the next value in turn`);
    const produced = ["Here is the loop:", "", "```python", "def sum_all(values):", "    total = 0", ...code].join("\n");
    const shown = answerSoFarShown(produced).split("\n");
    expect(shown[0]).toBe(leftOutMarker);
    expect(shown[1]).toBe("```python");
    expect(produced.endsWith(shown.slice(2).join("\n"))).toBe(true);
    expect(shown).not.toContain("def sum_all(values):");
  });

  it("adds no fence line when the code block before the shown end is closed", () => {
    const produced = ["```js", "const answer = 42;", "```", ...proseLines(20)].join("\n");
    const shown = answerSoFarShown(produced).split("\n");
    expect(shown[0]).toBe(leftOutMarker);
    expect(shown.some((line) => line.startsWith("```"))).toBe(false);
  });
});
