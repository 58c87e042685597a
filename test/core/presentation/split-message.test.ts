import { describe, expect, it } from "vitest";
import { splitMessage, splitMessageDetailed, type MessageSplit } from "../../../src/core/presentation/split-message.js";

/** The original text back from a split, by the documented rejoin rule. */
function rejoin(split: MessageSplit): string {
  return split.parts.reduce((text, part, index) => text + part.source + (split.separators[index + 1] ?? ""), split.separators[0] ?? "");
}

function paragraph(word: string, words: number): string {
  return Array.from({ length: words }, () => word).join(" ");
}

describe("splitMessage", () => {
  it("keeps a text that fits as one part", () => {
    expect(splitMessage("Hello **world**.\n\nSecond paragraph.", 100)).toEqual(["Hello **world**.\n\nSecond paragraph."]);
  });

  it("has no parts for a text with nothing visible, and keeps that text as the only separator", () => {
    expect(splitMessage("", 10)).toEqual([]);
    expect(splitMessageDetailed(" \n\t\n ", 10)).toEqual({ parts: [], separators: [" \n\t\n "] });
  });

  it("drops blank lines before and whitespace after the text into the outer separators", () => {
    const split = splitMessageDetailed("\n\n  indented start\nend  \n\n", 100);
    expect(split.parts.map((part) => part.text)).toEqual(["  indented start\nend"]);
    expect(split.separators).toEqual(["\n\n", "  \n\n"]);
  });

  it("cuts at a paragraph break before a line break, and consumes the blank lines", () => {
    const text = "first line\nsecond line\n\nthird paragraph here";
    const split = splitMessageDetailed(text, 30);
    expect(split.parts.map((part) => part.text)).toEqual(["first line\nsecond line", "third paragraph here"]);
    expect(split.separators).toEqual(["", "\n\n", ""]);
  });

  it("cuts between lines when a paragraph is too long, then between words when a line is", () => {
    expect(splitMessage("aaaa bbbb\ncccc dddd", 12)).toEqual(["aaaa bbbb", "cccc dddd"]);
    const split = splitMessageDetailed(paragraph("word", 10), 20);
    expect(split.parts.map((part) => part.text)).toEqual(["word word word word", "word word word word", "word word"]);
    expect(split.separators).toEqual(["", " ", " ", ""]);
  });

  it("cuts inside a word only when the word alone is longer than a part", () => {
    const split = splitMessageDetailed(`short ${"x".repeat(25)} end`, 10);
    expect(split.parts.map((part) => part.text)).toEqual(["short", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx end"]);
    expect(split.separators).toEqual(["", " ", "", "", ""]);
  });

  it("never cuts a surrogate pair in half", () => {
    const parts = splitMessage("😀".repeat(10), 5);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(5);
      expect(part).toMatch(/^(?:😀)+$/u);
    }
    expect(parts.join("")).toBe("😀".repeat(10));
  });

  it("prefers the edge of a code block to a cut inside it", () => {
    const code = "```ts\nconst a = 1;\nconst b = 2;\n```";
    expect(splitMessage(`Here is the code:\n${code}\nThat is all of it.`, 45)).toEqual(["Here is the code:", code, "That is all of it."]);
  });

  it("closes a code block it has to cut and reopens it with the same fence and language", () => {
    const lines = Array.from({ length: 12 }, (_, index) => `print(${index})`);
    const text = `Intro\n\n\`\`\`python\n${lines.join("\n")}\n\`\`\`\n\n${paragraph("Outro", 8)}`;
    const split = splitMessageDetailed(text, 60);
    const codeParts = split.parts.filter((part) => part.text.includes("print"));
    expect(codeParts.length).toBeGreaterThan(1);
    for (const part of codeParts) {
      expect(part.text.startsWith("```python\n")).toBe(true);
      expect(part.text.endsWith("\n```")).toBe(true);
      expect(part.text.length).toBeLessThanOrEqual(60);
    }
    expect(codeParts[0]?.reopening).toBe("");
    expect(codeParts[1]?.reopening).toBe("```python\n");
    expect(codeParts[0]?.closing).toBe("\n```");
    expect(codeParts.at(-1)?.closing).toBe("");
    expect(rejoin(split)).toBe(text);
  });

  it("reopens tilde and long backtick fences as they were written", () => {
    const body = Array.from({ length: 8 }, (_, index) => `line ${index} with \`\`\` inside`).join("\n");
    for (const marker of ["~~~", "````"]) {
      const text = `${marker}sql\n${body}\n${marker}`;
      const parts = splitMessage(text, 70);
      expect(parts.length).toBeGreaterThan(1);
      expect(parts[1]?.startsWith(`${marker}sql\n`)).toBe(true);
      expect(parts[0]?.endsWith(`\n${marker}`)).toBe(true);
    }
  });

  it("prefers a blank line inside code to any other line break in it", () => {
    const text = "```js\nfunction a() {\n  return 1;\n}\n\nfunction b() {\n  return 2;\n}\n```";
    const parts = splitMessage(text, 60);
    expect(parts[0]).toBe("```js\nfunction a() {\n  return 1;\n}\n```");
    expect(parts[1]).toBe("```js\nfunction b() {\n  return 2;\n}\n```");
  });

  it("keeps the indentation of the line a part starts on", () => {
    const text = "```py\ndef f():\n    return 1\n    return 2\n    return 3\n```";
    const parts = splitMessage(text, 34);
    expect(parts.slice(1).every((part) => part.startsWith("```py\n    return"))).toBe(true);
  });

  it("closes a code block the text leaves open, as a reply still streaming does", () => {
    expect(splitMessage("Look:\n```bash\nnpm test", 100)).toEqual(["Look:\n```bash\nnpm test\n```"]);
  });

  it("never leaves an empty code block behind a cut", () => {
    const text = `Intro line\n\`\`\`ts\n${paragraph("token", 12)}\n\`\`\``;
    for (const part of splitMessage(text, 40)) {
      expect(part).not.toMatch(/^(`{3,})\w*\n\1$/m);
      expect(part.length).toBeLessThanOrEqual(40);
    }
  });

  it("does not cut a line so that a half of it reads as a fence", () => {
    // A cut at the space would start the next part with "~~~", which closes the block there.
    const text = `~~~\n${"a".repeat(30)} ~~~\n~~~`;
    const split = splitMessageDetailed(text, 40);
    expect(split.parts.map((part) => part.text)).toEqual([`~~~\n${"a".repeat(30)} ~\n~~~`, "~~~\n~~\n~~~"]);
    expect(rejoin(split)).toBe(text);
  });

  it("rejects a limit that cannot hold a character", () => {
    expect(() => splitMessage("text", 1)).toThrow(RangeError);
    expect(() => splitMessage("text", 2.5)).toThrow(RangeError);
  });
});
