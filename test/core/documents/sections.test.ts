import { describe, expect, it } from "vitest";
import type { DocumentText } from "../../../src/core/documents/document-text.js";
import { SectionCutter, minimumPartTokens, partLabel, partText } from "../../../src/core/documents/parts.js";
import { maxSectionTokens, splitIntoSections, type Section } from "../../../src/core/documents/sections.js";

const sentence = (index: number): string => `Sentence number ${index} says something about the shipping schedule for the quarter.`;

function textDocument(text: string, name = "notes.md"): DocumentText {
  return { name, kind: "text", text };
}

describe("splitting a document into sections", () => {
  it("cuts a paragraph too long for one section between sentences, never inside one", async () => {
    const paragraph = Array.from({ length: 200 }, (_, index) => sentence(index)).join(" ");
    const sections = await splitIntoSections([textDocument(paragraph)]);
    expect(sections.length).toBeGreaterThan(3);
    for (const section of sections) {
      expect(section.tokens).toBeLessThanOrEqual(maxSectionTokens);
      expect(section.text).toMatch(/^Sentence number \d+ .*quarter\.$/s);
    }
    expect(sections.map((section) => section.text).join(" ")).toBe(paragraph);
  });

  it("keeps a code block whole, blank lines and all, and splits a larger one between lines", async () => {
    const small = "```ts\nconst a = 1;\n\nconst b = 2;\n```";
    const bigLines = Array.from({ length: 400 }, (_, index) => `  total += values[${index}] * weights[${index}]; // step ${index}`);
    const big = `\`\`\`ts\nfunction sum() {\n${bigLines.join("\n")}\n}\n\`\`\``;
    const sections = await splitIntoSections([textDocument(`Intro text.\n\n${small}\n\nBetween.\n\n${big}`)]);
    expect(sections.some((section) => section.text.includes(small))).toBe(true);
    const codeSections = sections.filter((section) => section.text.includes("total += values"));
    expect(codeSections.length).toBeGreaterThan(1);
    for (const section of codeSections) {
      for (const line of section.text.split("\n")) expect(line).toMatch(/^(\s+total \+= values\[\d+\] \* weights\[\d+\]; \/\/ step \d+|```ts|function sum\(\) \{|\}|```)$/);
    }
  });

  it("starts a section at each heading and each page, and labels parts with them", async () => {
    const pageOne = "Chapter 1: Harbours\n\nShips came in. They left again.";
    const pageTwo = "The cranes worked all night.\n\nChapter 2: Rail\n\nTrains ran on time.";
    const pdf: DocumentText = { name: "report.pdf", kind: "pdf", text: `${pageOne}\n\n${pageTwo}`, pageStarts: [{ page: 1, offset: 0 }, { page: 2, offset: pageOne.length + 2 }] };
    const sections = await splitIntoSections([pdf]);
    expect(sections.map((section) => [section.opensWith, section.place.firstPage])).toEqual([
      ["document", 1],
      ["page", 2],
      ["heading", 2],
    ]);
    expect(partText(sections, ["report.pdf"])).toBe(`[page 1]\n${pageOne}\n\n[page 2]\nThe cranes worked all night.\n\nChapter 2: Rail\n\nTrains ran on time.`);
    expect(partLabel(sections, ["report.pdf"])).toBe("pages 1–2");
    const markdown = await splitIntoSections([textDocument("# Setup\n\nInstall it.\n\n## Use\n\nRun it.")]);
    expect(partLabel(markdown.slice(1), ["notes.md"])).toBe("“Use”, lines 5–7");
  });

  it("labels a part of several files with each file's name", async () => {
    const sections = await splitIntoSections([textDocument("First file.", "a.txt"), textDocument("Second file.", "b.txt")]);
    expect(partLabel(sections, ["a.txt", "b.txt"])).toBe("a.txt, line 1; b.txt, line 1");
    expect(partText(sections, ["a.txt", "b.txt"])).toBe("[file a.txt]\nFirst file.\n\n[file b.txt]\nSecond file.");
  });
});

describe("splitting a file of a million blank lines", () => {
  it("lets the event loop turn on the way, and keeps the words among them", async () => {
    const text = `${"\n".repeat(500_000)}The one line that says something.${"\n".repeat(500_000)}`;
    let turns = 0;
    const counting = setInterval(() => (turns += 1), 0);
    const sections = await splitIntoSections([textDocument(text, "blank.txt")]);
    clearInterval(counting);
    expect(sections.map((section) => section.text)).toEqual(["The one line that says something."]);
    // Timers ran while it split, not only after: the work was handed out in turns.
    expect(turns).toBeGreaterThan(0);
  });
});

describe("splitting one line of 600,000 characters (a PDF bomb's page)", () => {
  it("lets the event loop turn on the way, and loses no word", async () => {
    const line = Array.from({ length: 7_500 }, (_, index) => sentence(index)).join(" ");
    let turns = 0;
    const counting = setInterval(() => (turns += 1), 0);
    const sections = await splitIntoSections([textDocument(line, "bomb.txt")]);
    clearInterval(counting);
    expect(line.length).toBeGreaterThan(600_000);
    expect(sections.map((section) => section.text).join(" ")).toBe(line);
    for (const section of sections) expect(section.text).toMatch(/^Sentence number \d+ .*quarter\.$/s);
    expect(turns).toBeGreaterThan(0);
  });
});

describe("cutting parts from sections", () => {
  const chapters = Array.from({ length: 6 }, (_, chapter) => `# Chapter ${chapter + 1}\n\n${Array.from({ length: 12 }, (_, index) => sentence(chapter * 100 + index)).join("\n\n")}`).join("\n\n");
  const sectionsOfChapters = (): Promise<Section[]> => splitIntoSections([textDocument(chapters)]);

  it("fills the room it is given, ends before a nearby heading, and hands out every section once", async () => {
    const sections = await sectionsOfChapters();
    const cutter = new SectionCutter(sections, ["book.md"]);
    const parts = [];
    for (let part = cutter.take(1_500); part !== undefined; part = cutter.take(1_500)) parts.push(part);
    expect(cutter.finished).toBe(true);
    expect(parts.map((part) => part.text).join("\n\n")).toBe(sections.map((section) => section.text).join("\n\n"));
    for (const part of parts.slice(0, -1)) {
      expect(part.tokens).toBeLessThanOrEqual(1_500);
      // Ends at a chapter's end: the next part starts with a heading.
      expect(parts[part.index + 1]?.text.startsWith("# Chapter")).toBe(true);
    }
  });

  it("waits for more room rather than cut a part too small to be worth its prompt", async () => {
    const cutter = new SectionCutter(await sectionsOfChapters(), ["book.md"]);
    expect(cutter.take(minimumPartTokens - 100)).toBeUndefined();
    expect(cutter.taken).toBe(0);
    const clone = cutter.clone();
    expect(clone.take(10_000)).toBeDefined();
    expect(cutter.taken).toBe(0);
  });
});
