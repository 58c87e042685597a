import { describe, expect, it } from "vitest";
import { ThinkStripper, stripThinking } from "../../../src/core/generation/think-stripper.js";

function streamThrough(chunks: readonly string[]): string {
  const stripper = new ThinkStripper();
  return chunks.map((chunk) => stripper.push(chunk)).join("") + stripper.end();
}

describe("ThinkStripper", () => {
  const raw = "<think>\nThe user wants a greeting. Keep it short.\n</think>\n\nHello! How can I help?";

  it("removes the think block from whole text", () => {
    expect(stripThinking(raw)).toBe("Hello! How can I help?");
  });

  it("removes it whatever the two split points of the stream are", () => {
    for (let first = 0; first <= raw.length; first += 1) {
      for (let second = first; second <= raw.length; second += 3) {
        const chunks = [raw.slice(0, first), raw.slice(first, second), raw.slice(second)];
        expect(streamThrough(chunks)).toBe("Hello! How can I help?");
      }
    }
  });

  it("streams text one character at a time without losing any", () => {
    const text = "a < b and x<thin y, then <think>hidden</think>visible <tag>";
    expect(streamThrough([...text])).toBe("a < b and x<thin y, then visible <tag>");
  });

  it("drops an unclosed think block and keeps text without one", () => {
    expect(streamThrough(["<think>never closed"])).toBe("");
    expect(streamThrough(["plain ", "answer"])).toBe("plain answer");
  });
});

describe("a continuation", () => {
  it("keeps the white space that separates it from the answer so far, and still drops reasoning", () => {
    const continuing = new ThinkStripper({ continuing: true });
    expect(continuing.push(" and then") + continuing.end()).toBe(" and then");
    const thinking = new ThinkStripper({ continuing: true });
    expect(thinking.push("<think>where was I</think>\n\n and then") + thinking.end()).toBe("and then");
  });
});
