import { estimateTextTokens } from "../models/token-estimate.js";
import { isStrongBoundary, type Section } from "./sections.js";

/** One call's worth of a document: consecutive sections, with where they sit, to cite. */
export interface DocumentPart {
  /** Its place in the document's order, from 0. */
  readonly index: number;
  /** Pages or lines (and heading) it covers: "pages 12–15", "“Install”, lines 40–120". */
  readonly label: string;
  readonly text: string;
  readonly tokens: number;
}

function range(first: number, last: number, one: string, many: string): string {
  return first === last ? `${one} ${first}` : `${many} ${first}–${last}`;
}

/** Where a run of sections of one document sits: pages for a PDF, a heading and lines otherwise. */
function placeLabel(sections: readonly Section[]): string {
  const first = sections[0]?.place;
  const last = sections.at(-1)?.place;
  if (first === undefined || last === undefined) return "";
  if (first.firstPage !== undefined && last.lastPage !== undefined) return range(first.firstPage, last.lastPage, "page", "pages");
  const lines = range(first.firstLine, last.lastLine, "line", "lines");
  return first.heading === undefined ? lines : `“${first.heading}”, ${lines}`;
}

/** The label of a part: per document it touches, that document's pages or lines; names only when there are several. */
export function partLabel(sections: readonly Section[], documentNames: readonly string[]): string {
  const byDocument: Section[][] = [];
  for (const section of sections) {
    const group = byDocument.at(-1);
    if (group !== undefined && group[0]?.place.document === section.place.document) group.push(section);
    else byDocument.push([section]);
  }
  return byDocument
    .map((group) => {
      const label = placeLabel(group);
      const name = documentNames[group[0]?.place.document ?? 0];
      return documentNames.length > 1 && name !== undefined ? `${name}, ${label}` : label;
    })
    .join("; ");
}

/**
 * What a model reads of a part: the sections in order, each page of a PDF marked where it begins
 * (so the notes can cite pages), and where a part starts inside a page or a file, which one.
 */
export function partText(sections: readonly Section[], documentNames: readonly string[]): string {
  const pieces: string[] = [];
  let previous: Section | undefined;
  for (const section of sections) {
    const { place } = section;
    const newDocument = previous === undefined || previous.place.document !== place.document;
    const markers: string[] = [];
    if (newDocument && documentNames.length > 1) markers.push(`[file ${documentNames[place.document] ?? ""}]`);
    if (place.firstPage !== undefined) {
      const pageBegins = section.opensWith === "page" || section.opensWith === "document";
      if (pageBegins) markers.push(`[page ${place.firstPage}]`);
      else if (previous === undefined || newDocument) markers.push(`[page ${place.firstPage}, continued]`);
    }
    pieces.push(markers.length === 0 ? section.text : `${markers.join("\n")}\n${section.text}`);
    previous = section;
  }
  return pieces.join("\n\n");
}

/** Where the parts of a reading come from: cut as room allows, or already cut (stored parts, notes to merge). */
export interface PartSource {
  /** Tokens of text not yet handed out. */
  readonly remainingTokens: number;
  readonly finished: boolean;
  /** Parts handed out so far. */
  readonly taken: number;
  /** The next part whose text fits in `textRoom` tokens, or undefined when the next one needs more room. */
  take(textRoom: number): DocumentPart | undefined;
  /** A copy to play the rest of the reading forward on (estimates), leaving this one where it is. */
  clone(): PartSource;
}

/** Below this many tokens a part costs more in its own prompt than it reads; the last part may be smaller. */
export const minimumPartTokens = 1_000;
/** A part may end up to this share earlier than its room allows, to end before a page or a heading. */
const boundarySearchShare = 0.25;

/**
 * Cuts parts from sections as the models' room allows: each part as large as the room it gets
 * (so every model's minute is filled, not left a fixed part's remainder), ending before a page
 * or a heading when one is near the end.
 */
export class SectionCutter implements PartSource {
  private cursor = 0;
  private index: number;
  private remaining: number;

  constructor(
    private readonly sections: readonly Section[],
    private readonly documentNames: readonly string[],
    firstIndex = 0,
  ) {
    this.index = firstIndex;
    this.remaining = sections.reduce((total, section) => total + section.tokens, 0);
  }

  get remainingTokens(): number {
    return this.remaining;
  }

  get finished(): boolean {
    return this.cursor >= this.sections.length;
  }

  get taken(): number {
    return this.index;
  }

  take(textRoom: number): DocumentPart | undefined {
    let end = this.cursor;
    let tokens = 0;
    while (end < this.sections.length) {
      const next = this.sections[end];
      if (next === undefined || tokens + next.tokens + 2 > textRoom) break;
      tokens += next.tokens + 2;
      end += 1;
    }
    if (end === this.cursor || tokens < Math.min(minimumPartTokens, this.remaining)) return undefined;
    end = this.endBeforeBoundary(end, tokens);
    const sections = this.sections.slice(this.cursor, end);
    const text = partText(sections, this.documentNames);
    const part: DocumentPart = { index: this.index, label: partLabel(sections, this.documentNames), text, tokens: estimateTextTokens(text) };
    this.remaining -= sections.reduce((total, section) => total + section.tokens, 0);
    this.cursor = end;
    this.index += 1;
    return part;
  }

  /** When the part would end mid-chapter but a page or heading begins near its end, it ends there. */
  private endBeforeBoundary(end: number, tokens: number): number {
    if (end >= this.sections.length || isStrongBoundary(this.sections[end]?.opensWith ?? "paragraph")) return end;
    let tokensBefore = tokens;
    for (let candidate = end - 1; candidate > this.cursor; candidate -= 1) {
      tokensBefore -= (this.sections[candidate]?.tokens ?? 0) + 2;
      if (tokensBefore < tokens * (1 - boundarySearchShare)) break;
      if (isStrongBoundary(this.sections[candidate]?.opensWith ?? "paragraph")) return candidate;
    }
    return end;
  }

  clone(): PartSource {
    const copy = new SectionCutter(this.sections, this.documentNames, this.index);
    copy.cursor = this.cursor;
    copy.remaining = this.remaining;
    return copy;
  }
}

/** Parts already cut (a stored document's, or notes to merge): handed out in order as room allows. */
export class FixedParts implements PartSource {
  private cursor = 0;

  constructor(private readonly parts: readonly DocumentPart[]) {}

  get remainingTokens(): number {
    return this.parts.slice(this.cursor).reduce((total, part) => total + part.tokens, 0);
  }

  get finished(): boolean {
    return this.cursor >= this.parts.length;
  }

  get taken(): number {
    return this.cursor;
  }

  take(textRoom: number): DocumentPart | undefined {
    const next = this.parts[this.cursor];
    if (next === undefined || next.tokens > textRoom) return undefined;
    this.cursor += 1;
    return next;
  }

  clone(): PartSource {
    const copy = new FixedParts(this.parts);
    copy.cursor = this.cursor;
    return copy;
  }
}
