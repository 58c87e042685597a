import { SeededRandom } from "../capacity/seeded-random.js";

/** A sentence placed on a page, for a question whose answer sits there and nowhere else. */
export interface PlacedFact {
  readonly page: number;
  readonly sentence: string;
}

export interface LongDocumentShape {
  /** About this many tokens in all (Mami's estimate: four characters a token). */
  readonly tokens: number;
  readonly facts: readonly PlacedFact[];
  /** A chapter heading opens every this many pages. */
  readonly pagesPerChapter?: number;
  readonly seed?: number;
}

const linesPerPage = 46;
const lineLength = 68;
const topics = ["harbour logistics", "supplier audits", "rail freight", "warehouse safety", "customs filings", "fleet upkeep", "cold storage", "route planning", "staff rotas", "fuel contracts", "port fees", "claims handling"];
const words = ["the", "team", "reviewed", "shipments", "schedule", "carefully", "before", "each", "quarter", "report", "noted", "delays", "costs", "rose", "slightly", "while", "volumes", "held", "steady", "across", "regions", "managers", "agreed", "to", "track", "weekly", "figures", "and", "share", "them", "openly"];

/** The chapter a page belongs to, and its title: "Chapter 4: Project Heron" for the chapter of the first fact. */
export function chapterTitle(chapter: number, factChapters: ReadonlyMap<number, string>): string {
  return `Chapter ${chapter + 1}: ${factChapters.get(chapter) ?? topics[chapter % topics.length] ?? "notes"}`;
}

/**
 * The pages of a long report, as lines of about 68 characters (46 to a page, as a PDF page
 * holds them): a chapter heading every few pages, seeded filler prose, and each fact once, on
 * its page. The chapter holding a fact is titled after it ("Project Heron"), as a real report's
 * table of contents would let a reader find it.
 */
export function longDocumentPages(shape: LongDocumentShape, factChapterTitle = "Project Heron"): string[] {
  const generator = new SeededRandom(shape.seed ?? 7);
  const random = (): number => generator.next();
  const pagesPerChapter = shape.pagesPerChapter ?? 10;
  const factChapters = new Map(shape.facts.map((fact) => [Math.floor((fact.page - 1) / pagesPerChapter), factChapterTitle]));
  const pages: string[] = [];
  let characters = 0;
  for (let page = 1; characters < shape.tokens * 4; page += 1) {
    const lines: string[] = [];
    if ((page - 1) % pagesPerChapter === 0) lines.push(chapterTitle(Math.floor((page - 1) / pagesPerChapter), factChapters), "");
    const facts = shape.facts.filter((fact) => fact.page === page).map((fact) => fact.sentence);
    let line = "";
    while (lines.length < linesPerPage) {
      const fact = lines.length >= 20 ? facts.shift() : undefined;
      if (fact !== undefined) {
        if (line !== "") lines.push(line);
        lines.push(fact);
        line = "";
        continue;
      }
      const sentenceLength = 6 + Math.floor(random() * 8);
      const sentence = Array.from({ length: sentenceLength }, () => words[Math.floor(random() * words.length)] ?? "the").join(" ");
      const text = `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
      for (const word of text.split(" ")) {
        if (line.length + word.length + 1 > lineLength) {
          lines.push(line);
          line = word;
        } else {
          line = line === "" ? word : `${line} ${word}`;
        }
      }
      // A paragraph ends now and then.
      if (random() < 0.15 && lines.length < linesPerPage - 1) {
        lines.push(line, "");
        line = "";
      }
    }
    const text = lines.slice(0, linesPerPage).join("\n");
    pages.push(text);
    characters += text.length + 2;
  }
  return pages;
}
