import { setImmediate as nextTurn } from "node:timers/promises";
import { estimateTextTokens } from "../models/token-estimate.js";
import type { DocumentText } from "./document-text.js";

/**
 * How natural a place a section's start is to begin a new part: a part ends before a page or a
 * heading when one is near, before a paragraph otherwise, and mid-paragraph only between
 * sentences (or lines of code) of a paragraph too long for one part.
 */
export type Boundary = "document" | "page" | "heading" | "paragraph" | "sentence";

const boundaryStrength: Readonly<Record<Boundary, number>> = { document: 4, page: 3, heading: 3, paragraph: 2, sentence: 1 };

export function isStrongBoundary(boundary: Boundary): boolean {
  return boundaryStrength[boundary] >= boundaryStrength.heading;
}

/** Where a section sits in its document, to cite it. */
export interface SectionPlace {
  /** Index of the document in the reading (a message may carry several files). */
  readonly document: number;
  readonly firstLine: number;
  readonly lastLine: number;
  /** PDFs: the pages it spans. */
  readonly firstPage?: number;
  readonly lastPage?: number;
  /** The nearest heading above it, if the document has headings. */
  readonly heading?: string;
}

/** The unit a document is cut into: parts are runs of consecutive sections. */
export interface Section {
  readonly text: string;
  readonly tokens: number;
  readonly opensWith: Boundary;
  readonly place: SectionPlace;
}

/** Sections are small, so that a part can be cut close to whatever room a model has. */
export const maxSectionTokens = 500;

interface Block {
  text: string;
  opensWith: Boundary;
  firstLine: number;
  lastLine: number;
  page: number | undefined;
  heading: string | undefined;
  isCode: boolean;
}

const fenceLine = /^\s*(```|~~~)/;
const markdownHeading = /^\s{0,3}#{1,6}\s+\S/;
/** "Chapter 3", "Section 2: Results", "3.2 Method": a short line that names what follows. */
const numberedHeading = /^\s*(?:(?:[Cc]hapter|CHAPTER|[Ss]ection|SECTION|[Pp]art|PART|[Aa]ppendix|APPENDIX)\s+[\w.]+|\d+(?:\.\d+){0,3}\.?\s+[A-Z])[^.!?]{0,60}$/;

/**
 * Lines split between two turns of the event loop: a file of a million blank lines took 284 ms
 * in one go, and every chat waits while the loop does not turn.
 */
const linesPerTurn = 20_000;
/** What `blocksOf` hands out to say: let the event loop turn before going on. */
const pause = Symbol("pause");

function headingText(line: string): string {
  return line.replace(/^\s*#+\s*/, "").trim().slice(0, 80);
}

/**
 * Blocks: paragraphs (split at blank lines), headings (each starts a block), code fences (never
 * split at their blank lines) and, for PDFs, pages (a block never spans two). One pass over the
 * lines, so the time is linear in the text; it pauses every `linesPerTurn` lines so that the
 * caller can let the event loop turn.
 */
function* blocksOf(document: DocumentText): Generator<Block | typeof pause> {
  const pageStarts = document.pageStarts ?? [];
  let nextPage = 0;
  let page: number | undefined;
  let heading: string | undefined;
  let current: Block | undefined;
  let inFence = false;
  let pending: Boundary = "document";
  let offset = 0;
  const { text } = document;
  /** The block under way, ended: handed out unless it is blank. */
  const closed = (): Block | undefined => {
    const ended = current !== undefined && current.text.trim() !== "" ? current : undefined;
    current = undefined;
    return ended;
  };
  // Lines are read where they stand, not split into an array first: splitting a million blank
  // lines at once takes 90 ms by itself.
  for (let index = 0, start = 0; start <= text.length; index += 1) {
    if (index > 0 && index % linesPerTurn === 0) yield pause;
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    start = end + 1;
    const lineNumber = index + 1;
    // A page starting at or before this line's end begins a new block.
    let pageChanged = false;
    while (nextPage < pageStarts.length && (pageStarts[nextPage]?.offset ?? Infinity) <= offset + line.length) {
      page = pageStarts[nextPage]?.page;
      nextPage += 1;
      pageChanged = true;
    }
    offset += line.length + 1;
    let ended: Block | undefined;
    if (pageChanged && !inFence) {
      ended = closed();
      if (ended !== undefined) yield ended;
      pending = pending === "document" ? "document" : "page";
    }
    const isFence = fenceLine.test(line);
    if (!inFence && line.trim() === "") {
      ended = closed();
      if (ended !== undefined) yield ended;
      if (pending === "sentence") pending = "paragraph";
      continue;
    }
    const isHeading = !inFence && !isFence && (markdownHeading.test(line) || (numberedHeading.test(line) && line.length <= 64));
    if (isHeading) {
      ended = closed();
      if (ended !== undefined) yield ended;
      heading = headingText(line);
      if (pending !== "document" && pending !== "page") pending = "heading";
    }
    if (isFence && !inFence) {
      ended = closed();
      if (ended !== undefined) yield ended;
      inFence = true;
    } else if (isFence && inFence) {
      inFence = false;
    }
    if (current === undefined) {
      current = { text: line, opensWith: pending === "sentence" ? "paragraph" : pending, firstLine: lineNumber, lastLine: lineNumber, page, heading, isCode: inFence || isFence };
      pending = "sentence";
    } else {
      current.text += `\n${line}`;
      current.lastLine = lineNumber;
    }
    // A heading is a block of its own line, and a closing fence ends the code block: what
    // follows either is a new block.
    if (isHeading || (isFence && !inFence)) {
      ended = closed();
      if (ended !== undefined) yield ended;
    }
  }
  const last = closed();
  if (last !== undefined) yield last;
}

/** Sentences of prose; lines of code (or of text without sentence ends). Never empty pieces. */
function piecesOf(block: Block): string[] {
  const bySentence = block.isCode ? [] : block.text.split(/(?<=[.!?…。！？])\s+(?=\S)/);
  const pieces = bySentence.length > 1 ? bySentence : block.text.split("\n");
  return pieces.flatMap((piece) => (estimateTextTokens(piece) <= maxSectionTokens ? [piece] : cutAtSpaces(piece)));
}

/**
 * A piece still too large for a section (a minified line, a sentence that never ends) is cut at
 * spaces, and a run without spaces at a fixed length: the only cuts not at a natural boundary.
 */
function cutAtSpaces(piece: string): string[] {
  const chunks: string[] = [];
  let chunk = "";
  let chunkTokens = 0;
  for (const word of piece.split(/(?<=\s)/)) {
    for (let start = 0; start < word.length; start += maxSectionTokens * 2) {
      const slice = word.slice(start, start + maxSectionTokens * 2);
      const sliceTokens = estimateTextTokens(slice);
      if (chunk !== "" && chunkTokens + sliceTokens > maxSectionTokens) {
        chunks.push(chunk);
        chunk = "";
        chunkTokens = 0;
      }
      chunk += slice;
      chunkTokens += sliceTokens;
    }
  }
  if (chunk !== "") chunks.push(chunk);
  return chunks;
}

function place(block: Block, document: number, lastLine = block.lastLine): SectionPlace {
  return {
    document,
    firstLine: block.firstLine,
    lastLine,
    ...(block.page === undefined ? {} : { firstPage: block.page, lastPage: block.page }),
    ...(block.heading === undefined ? {} : { heading: block.heading }),
  };
}

/** A block longer than this is split a window at a time, the event loop turning in between. */
const windowCharacters = 8_000;

/**
 * A very long block (a PDF page that is one 600,000-character line) in windows of at most
 * `windowCharacters`, each ending at the last sentence end (not in code), line break or space
 * in its second half: splitting it whole held the event loop 140 ms.
 */
function* windowsOf(block: Block): Generator<Block> {
  const { text } = block;
  let start = 0;
  let opensWith = block.opensWith;
  while (start < text.length) {
    const end = Math.min(text.length, start + windowCharacters);
    // Where the window ends, and the one character (the space or line break) the cut drops.
    let cut = end;
    let skipped = 0;
    if (end < text.length) {
      const half = start + windowCharacters / 2;
      const sentenceEnd = block.isCode ? -1 : text.lastIndexOf(". ", end - 2);
      const lineEnd = text.lastIndexOf("\n", end - 1);
      const space = text.lastIndexOf(" ", end - 1);
      if (sentenceEnd > half) [cut, skipped] = [sentenceEnd + 1, 1];
      else if (lineEnd > half) [cut, skipped] = [lineEnd, 1];
      else if (space > half) [cut, skipped] = [space, 1];
    }
    yield { ...block, text: text.slice(start, cut), opensWith };
    opensWith = "sentence";
    start = cut + skipped;
  }
}

/** A block too large for one section, as sections of whole sentences (or lines). */
function splitBlock(block: Block, document: number): Section[] {
  const sections: Section[] = [];
  const separator = block.isCode || !/[.!?…。！？]\s/.test(block.text) ? "\n" : " ";
  let text = "";
  let tokens = 0;
  let opensWith = block.opensWith;
  for (const piece of piecesOf(block)) {
    const pieceTokens = estimateTextTokens(piece);
    if (text !== "" && tokens + pieceTokens + 1 > maxSectionTokens) {
      sections.push({ text, tokens, opensWith, place: place(block, document) });
      text = "";
      tokens = 0;
      opensWith = "sentence";
    }
    text = text === "" ? piece : `${text}${separator}${piece}`;
    tokens += pieceTokens + (text === piece ? 0 : 1);
  }
  if (text.trim() !== "") sections.push({ text, tokens, opensWith, place: place(block, document) });
  return sections;
}

/**
 * Splits a reading's documents into sections at natural boundaries: pages, headings,
 * paragraphs and code blocks, and within a paragraph too long for one section, between
 * sentences. Small paragraphs are grouped up to `maxSectionTokens`, never across a page or a
 * heading, so a part can always end there.
 */
export async function splitIntoSections(documents: readonly DocumentText[]): Promise<Section[]> {
  const sections: Section[] = [];
  for (const [documentIndex, document] of documents.entries()) {
    for (const block of blocksOf(document)) {
      if (block === pause) {
        await nextTurn();
        continue;
      }
      const tokens = estimateTextTokens(block.text);
      if (tokens > maxSectionTokens) {
        for (const window of windowsOf(block)) {
          sections.push(...splitBlock(window, documentIndex));
          await nextTurn();
        }
        continue;
      }
      const last = sections.at(-1);
      const joinable = last !== undefined && block.opensWith === "paragraph" && last.place.document === documentIndex && last.tokens + tokens <= maxSectionTokens;
      if (joinable) {
        sections[sections.length - 1] = {
          text: `${last.text}\n\n${block.text}`,
          tokens: last.tokens + tokens,
          opensWith: last.opensWith,
          place: { ...last.place, lastLine: block.lastLine, ...(block.page === undefined ? {} : { lastPage: block.page }) },
        };
      } else {
        sections.push({ text: block.text, tokens, opensWith: block.opensWith, place: place(block, documentIndex) });
      }
    }
  }
  return sections;
}
