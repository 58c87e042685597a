/**
 * Converts the markdown that language models write into Telegram's HTML parse mode, using only
 * the tags Telegram accepts (b, i, u, s, code, pre, a href, blockquote, tg-spoiler).
 *
 * Two promises hold for any input, however broken:
 * - <, > and & are escaped everywhere, inside code too, and every tag written is closed: markers
 *   without a partner (an unclosed ** or `, an unclosed ``` fence) come out as literal text or,
 *   for a fence, as a code block running to the end.
 * - The text Telegram shows is never longer than the markdown: every rule removes markers or
 *   swaps a marker for one character ("- " for "• "), and Telegram counts its 4096 limit on the
 *   text after parsing the HTML, not on the tags or entities. So splitting the markdown at 4096
 *   first (splitMessage) and converting each part keeps every part within Telegram's limit.
 *
 * Inline markup is read one line at a time, so an unbalanced marker can never swallow the rest
 * of a message. Well-formed HTML is this converter's job; nesting that Telegram's entity rules do
 * not allow (code inside bold, say) is left to Telegram, which normalises entities on its side.
 *
 * The cost is linear in the markdown whatever it holds (a line of "[", of "_a ", of backtick
 * runs, thousands of "|" lines): it runs on every streaming edit of a reply. No step scans ahead
 * from every candidate position, and test/bench/adversarial-text.bench.test.ts checks the growth.
 */
import { closesCodeFence, codeFenceOpenedBy, type CodeFence } from "../../core/presentation/split-message.js";

export function markdownToTelegramHtml(markdown: string): string {
  const lines = markdown.split("\n");
  const output: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    const fence = codeFenceOpenedBy(line);
    if (fence !== undefined) {
      const block = readCodeBlock(lines, index, fence);
      output.push(codeBlockHtml(fence, block.content));
      index = block.nextIndex;
      continue;
    }
    const quote = readWhile(lines, index, isQuoteLine);
    if (quote.length > 0) {
      const quoted = quote.map((quoteLine) => lineHtml(quoteLine.replace(/^\s{0,3}(?:>\s?)+/, "")));
      output.push(`<blockquote>${quoted.join("\n")}</blockquote>`);
      index += quote.length;
      continue;
    }
    const table = readTable(lines, index);
    if (table.length > 0) {
      // Monospace keeps the columns that models pad with spaces lined up.
      output.push(`<pre>${escapeHtml(table.join("\n"))}</pre>`);
      index += table.length;
      continue;
    }
    output.push(lineHtml(line));
    index += 1;
  }
  return output.join("\n");
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, "&quot;");
}

function readCodeBlock(lines: readonly string[], openingIndex: number, fence: CodeFence): { content: string[]; nextIndex: number } {
  const opening = lines[openingIndex] ?? "";
  const indentation = opening.length - opening.trimStart().length;
  // A fence indented inside a list item indents its code as much; that indentation is the list's.
  const listIndentation = new RegExp(`^ {0,${indentation}}`);
  const content: string[] = [];
  let index = openingIndex + 1;
  for (; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    if (closesCodeFence(line, fence)) return { content, nextIndex: index + 1 };
    content.push(line.replace(listIndentation, ""));
  }
  return { content, nextIndex: index };
}

function codeBlockHtml(fence: CodeFence, content: readonly string[]): string {
  const code = escapeHtml(content.join("\n"));
  if (code.trim() === "") return code;
  // The language lands in an attribute: anything beyond a plain name is dropped rather than escaped.
  if (/^[\w#+.-]+$/.test(fence.language)) return `<pre><code class="language-${fence.language}">${code}</code></pre>`;
  return `<pre>${code}</pre>`;
}

function readWhile(lines: readonly string[], start: number, matches: (line: string) => boolean): string[] {
  const taken: string[] = [];
  for (let index = start; index < lines.length && matches(lines[index] ?? ""); index += 1) taken.push(lines[index] ?? "");
  return taken;
}

function isQuoteLine(line: string): boolean {
  return /^\s{0,3}>/.test(line);
}

/**
 * "| --- | :-: |". Each run of spaces has one quantifier of its own: written as "\s*\|?\s*" the
 * two could split a long run in every possible way before failing.
 */
const tableDelimiterRow = /^\s*(?:\|\s*)?:?-+:?\s*(?:\|\s*:?-+:?\s*)*(?:\|\s*)?$/;

function isTableRow(line: string): boolean {
  return line.trimStart().startsWith("|");
}

/**
 * A GitHub table: rows starting with "|", the second one of dashes. Empty when there is none.
 * The delimiter row is checked before the rows are collected, so a run of "|" lines that is not
 * a table costs one look per line rather than reading the rest of the run again for each.
 */
function readTable(lines: readonly string[], start: number): string[] {
  const delimiter = lines[start + 1];
  if (delimiter === undefined || !isTableRow(lines[start] ?? "") || !isTableRow(delimiter)) return [];
  return tableDelimiterRow.test(delimiter) && delimiter.includes("-") ? readWhile(lines, start, isTableRow) : [];
}

/** One line outside code blocks: a heading, a rule, a list item, or a plain line. */
function lineHtml(line: string): string {
  const heading = headingTitle(line);
  if (heading !== undefined) {
    const title = inlineHtml(heading, { linksAllowed: true, insideBold: true });
    return title === "" ? "" : `<b>${title}</b>`;
  }
  if (/^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/.test(line)) return "———";
  // The runs of spaces are taken whole, as backtracking into them could not help "(.*)$" reach
  // the end, and trying every shorter run rescanned the rest of the line for each.
  const bullet = /^(?=(\s*))\1[-*+](?=(\s+))\2(.*)$/.exec(line);
  if (bullet !== null) return `${bullet[1] ?? ""}•${bullet[2] ?? ""}${inlineHtml(bullet[3] ?? "", topLevel)}`;
  return inlineHtml(line, topLevel);
}

const whitespace = /\s/;
/** What "." does not match: the rest of a heading cannot run past one of these. */
const lineTerminator = /[\n\r\u2028\u2029]/;

/**
 * The title of an ATX heading, "## Title ##" giving "Title"; undefined when the line is not one.
 * This is `/^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/` worked out in one pass: the regular
 * expression tried every length of the lazy title and rescanned the rest of the line for each,
 * which took seconds on a heading of many spaces.
 */
function headingTitle(line: string): string | undefined {
  let position = 0;
  while (position < line.length && whitespace.test(line[position] ?? "")) position += 1;
  if (position > 3) return undefined;
  const hashesStart = position;
  while (line[position] === "#") position += 1;
  if (position === hashesStart || position - hashesStart > 6 || !whitespace.test(line[position] ?? "")) return undefined;
  while (position < line.length && whitespace.test(line[position] ?? "")) position += 1;
  const titleStart = position;

  let firstTerminator = titleStart;
  while (firstTerminator < line.length && !lineTerminator.test(line[firstTerminator] ?? "")) firstTerminator += 1;
  let trailingSpaceStart = line.length;
  while (trailingSpaceStart > titleStart && whitespace.test(line[trailingSpaceStart - 1] ?? "")) trailingSpaceStart -= 1;
  // A closing run of "#" after a space ends the title: "## Title ##".
  let closingHashesStart = trailingSpaceStart;
  while (closingHashesStart > titleStart && line[closingHashesStart - 1] === "#") closingHashesStart -= 1;
  let titleEnd = trailingSpaceStart;
  if (closingHashesStart < trailingSpaceStart && closingHashesStart > titleStart && whitespace.test(line[closingHashesStart - 1] ?? "")) {
    titleEnd = closingHashesStart;
    while (whitespace.test(line[titleEnd - 1] ?? "")) titleEnd -= 1;
  }
  // The title cannot hold a line terminator; a closing run or trailing spaces may.
  return titleEnd <= firstTerminator ? line.slice(titleStart, titleEnd) : undefined;
}

interface InlineContext {
  /** False inside a link's text: Telegram links cannot nest. */
  readonly linksAllowed: boolean;
  /** True inside a heading, which is bold already: bold markers inside it are only dropped. */
  readonly insideBold: boolean;
}

const topLevel: InlineContext = { linksAllowed: true, insideBold: false };

type Marker = "*" | "**" | "***" | "_" | "__" | "___" | "~~" | "||";

/** Finished HTML, or an emphasis marker still looking for its partner. */
type InlineItem =
  | { readonly kind: "html"; readonly html: string }
  | { readonly kind: "marker"; readonly marker: Marker; readonly canOpen: boolean; readonly canClose: boolean };

const tagsOf: Record<Marker, readonly string[]> = {
  "*": ["i"],
  "_": ["i"],
  "**": ["b"],
  // Discord shows __text__ underlined; Telegram shows the same reply the same way.
  "__": ["u"],
  "***": ["b", "i"],
  "___": ["u", "i"],
  "~~": ["s"],
  "||": ["tg-spoiler"],
};

function inlineHtml(text: string, context: InlineContext): string {
  return matchMarkers(tokenize(text, context), context);
}

/** Splits a line into finished pieces (text, code spans, links) and emphasis markers. */
function tokenize(text: string, context: InlineContext): InlineItem[] {
  const lookup = new PartnerLookup(text);
  const items: InlineItem[] = [];
  let plain = "";
  const flushPlain = (): void => {
    if (plain !== "") items.push({ kind: "html", html: escapeHtml(plain) });
    plain = "";
  };
  let index = 0;
  while (index < text.length) {
    const character = text[index] ?? "";
    const next = text[index + 1] ?? "";
    if (character === "\\" && /[!-/:-@[-`{-~]/.test(next)) {
      plain += next;
      index += 2;
      continue;
    }
    const piece = readCodeSpan(text, index, lookup) ?? (context.linksAllowed ? readLink(text, index, context, lookup) ?? readAutolink(text, index) : undefined);
    if (piece !== undefined) {
      flushPlain();
      items.push({ kind: "html", html: piece.html });
      index = piece.end;
      continue;
    }
    const run = readMarkerRun(text, index);
    if (run !== undefined) {
      flushPlain();
      items.push(run.item);
      index = run.end;
      continue;
    }
    plain += character;
    index += 1;
  }
  flushPlain();
  return items;
}

interface ReadPiece {
  readonly html: string;
  readonly end: number;
}

/** Marks a position of {@link PartnerLookup.bracketPartners} that held no "[" when it was read. */
const notAnOpeningBracket = -2;
/** Marks a "[" that no "]" closes. */
const unclosedBracket = -1;

/**
 * Where each "[" closes and where the backtick runs of a line are, found in one pass the first
 * time the line asks. Scanning ahead from every "[" or every unpartnered backtick run instead
 * read the rest of the line again for each one: seconds on a line of "[" or of "`a``".
 */
class PartnerLookup {
  private bracketPartners: Int32Array | undefined;
  private backtickRunStarts: Map<number, number[]> | undefined;
  /** Per run length, how far the runs before the current position have been skipped. */
  private backtickRunCursors: Map<number, number> | undefined;

  constructor(private readonly text: string) {}

  /**
   * The "]" closing the "[" just before `textStart`: the first "]" at depth zero, skipping the
   * character after each backslash. One stack pass over the line answers every "[" at once; a
   * "[" that the pass skipped as escaped (tokenize never asks about one) is scanned for directly.
   */
  closingBracketOf(textStart: number): number | undefined {
    this.bracketPartners ??= findBracketPartners(this.text);
    const partner = this.bracketPartners[textStart - 1] ?? notAnOpeningBracket;
    if (partner === notAnOpeningBracket) return scanForClosingBracket(this.text, textStart);
    return partner === unclosedBracket ? undefined : partner;
  }

  /**
   * The start of the first run of exactly `length` backticks at or after `from`. Callers ask
   * with growing `from`, so each list of runs is walked once.
   */
  backtickRunFrom(length: number, from: number): number | undefined {
    this.backtickRunStarts ??= findBacktickRuns(this.text);
    const starts = this.backtickRunStarts.get(length);
    if (starts === undefined) return undefined;
    this.backtickRunCursors ??= new Map();
    let cursor = this.backtickRunCursors.get(length) ?? 0;
    while (cursor < starts.length && (starts[cursor] ?? 0) < from) cursor += 1;
    this.backtickRunCursors.set(length, cursor);
    return starts[cursor];
  }
}

function findBracketPartners(text: string): Int32Array {
  const partners = new Int32Array(text.length).fill(notAnOpeningBracket);
  const open: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (character === "\\") index += 1;
    else if (character === "[") {
      partners[index] = unclosedBracket;
      open.push(index);
    } else if (character === "]") {
      const opening = open.pop();
      if (opening !== undefined) partners[opening] = index;
    }
  }
  return partners;
}

function scanForClosingBracket(text: string, from: number): number | undefined {
  let depth = 0;
  for (let index = from; index < text.length; index += 1) {
    const character = text[index];
    if (character === "\\") index += 1;
    else if (character === "[") depth += 1;
    else if (character === "]") {
      if (depth === 0) return index;
      depth -= 1;
    }
  }
  return undefined;
}

/** The start of every maximal run of backticks, by the length of the run. */
function findBacktickRuns(text: string): Map<number, number[]> {
  const runs = new Map<number, number[]>();
  for (const run of text.matchAll(/`+/g)) {
    const starts = runs.get(run[0].length);
    if (starts === undefined) runs.set(run[0].length, [run.index]);
    else starts.push(run.index);
  }
  return runs;
}

/** `code`, ``code with ` inside``: a run of backticks closed by a run of the same length. */
function readCodeSpan(text: string, start: number, lookup: PartnerLookup): ReadPiece | undefined {
  if (text[start] !== "`") return undefined;
  let openingEnd = start;
  while (text[openingEnd] === "`") openingEnd += 1;
  const opening = text.slice(start, openingEnd);
  // The opening run ends before a non-backtick, so the runs after it are the line's maximal runs.
  const closingStart = lookup.backtickRunFrom(opening.length, openingEnd);
  if (closingStart !== undefined) {
    let code = text.slice(openingEnd, closingStart);
    if (code.length >= 2 && code.startsWith(" ") && code.endsWith(" ") && code.trim() !== "") code = code.slice(1, -1);
    if (code === "") return undefined;
    return { html: `<code>${escapeHtml(code)}</code>`, end: closingStart + opening.length };
  }
  // No partner: the whole run is literal, so a later backtick of it cannot open a span either.
  return { html: escapeHtml(opening), end: openingEnd };
}

/**
 * [text](url "title") and ![alt](url). Only web addresses become links, and only under a label
 * that does not pose as another address: a model's answer can carry a user's text, and
 * "[Telegram Support](tg://resolve?domain=…)" or "[https://bank.example](https://evil.example)"
 * would otherwise show one target and open another. Anything else keeps its real address as
 * text beside the label.
 */
function readLink(text: string, start: number, context: InlineContext, lookup: PartnerLookup): ReadPiece | undefined {
  const isImage = text.startsWith("![", start);
  const textStart = start + (isImage ? 2 : 1);
  if (!isImage && text[start] !== "[") return undefined;
  const textEnd = lookup.closingBracketOf(textStart);
  if (textEnd === undefined || text[textEnd + 1] !== "(") return undefined;
  const destination = readDestination(text, textEnd + 2);
  if (destination === undefined) return undefined;
  const label = inlineHtml(text.slice(textStart, textEnd), { ...context, linksAllowed: false });
  const url = destination.url;
  if (label === "") return { html: escapeHtml(url), end: destination.end };
  if (!webAddress.test(url) || posesAsOtherAddress(text.slice(textStart, textEnd), url)) return { html: `${label} (${escapeHtml(url)})`, end: destination.end };
  // Only <angle-bracketed> addresses hold spaces; Telegram wants them encoded.
  return { html: `<a href="${escapeAttribute(url.replace(/ /g, "%20"))}">${label}</a>`, end: destination.end };
}

const webAddress = /^https?:\/\//i;
/** A label that reads as an address, emphasis markers aside: a scheme, or "www.", then a host. */
const addressLikeLabel = /^[\s*_~|`]*(?:[a-z][a-z0-9+.-]*:\/\/|www\.)([^\s/?#<>*_~|`]+)/i;

/** The label reads as an address on another host than the link's own. */
function posesAsOtherAddress(labelMarkdown: string, url: string): boolean {
  const labelHost = addressLikeLabel.exec(labelMarkdown)?.[1];
  if (labelHost === undefined) return false;
  const urlHost = /^https?:\/\/([^\s/?#<>]+)/i.exec(url)?.[1];
  const withoutWww = (host: string): string => host.toLowerCase().replace(/^www\./, "").replace(/\.$/, "");
  return urlHost === undefined || withoutWww(labelHost) !== withoutWww(urlHost);
}

/*
 * Sticky (`y`) expressions match at `lastIndex` only, which lets them read the line in place:
 * slicing the rest of the line for every "](" or "<" copied it again each time.
 */
const linkDestination = /\s*(?:<([^<>\n]*)>|((?:[^\s()]|\((?:[^\s()])*\))+))(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/y;
const autolink = /<((?:https?|tg):\/\/[^\s<>]+|mailto:[^\s<>]+)>/iy;

/** The part after "(": a URL (in <angle brackets>, or with balanced parentheses), an optional title, ")". */
function readDestination(text: string, from: number): { url: string; end: number } | undefined {
  linkDestination.lastIndex = from;
  const match = linkDestination.exec(text);
  if (match === null) return undefined;
  const url = match[1] ?? match[2] ?? "";
  if (url === "") return undefined;
  return { url, end: from + match[0].length };
}

/** <https://example.com>: Telegram links bare addresses by itself, so the brackets just go. */
function readAutolink(text: string, start: number): ReadPiece | undefined {
  if (text[start] !== "<") return undefined;
  autolink.lastIndex = start;
  const match = autolink.exec(text);
  if (match === null) return undefined;
  return { html: escapeHtml(match[1] ?? ""), end: start + match[0].length };
}

/**
 * A run of *, _, ~ or | that may open or close emphasis. Whether it can depends on its
 * neighbours, as in CommonMark: it opens when followed by a visible character, closes when
 * preceded by one, and underscores inside a word (snake_case) do neither.
 */
function readMarkerRun(text: string, start: number): { item: InlineItem; end: number } | undefined {
  const character = text[start] ?? "";
  if (character === "" || !"*_~|".includes(character)) return undefined;
  let end = start;
  while (text[end] === character) end += 1;
  const raw = text.slice(start, end);
  const marker = asMarker(raw);
  if (marker === undefined) return { item: { kind: "html", html: escapeHtml(raw) }, end };
  const before = text[start - 1] ?? " ";
  const after = text[end] ?? " ";
  let canOpen = /\S/.test(after);
  let canClose = /\S/.test(before);
  if (character === "_") {
    canOpen &&= !/[\p{L}\p{N}]/u.test(before);
    canClose &&= !/[\p{L}\p{N}]/u.test(after);
  }
  return { item: { kind: "marker", marker, canOpen, canClose }, end };
}

function asMarker(raw: string): Marker | undefined {
  const markers: readonly string[] = ["*", "**", "***", "_", "__", "___", "~~", "||"];
  return markers.includes(raw) ? (raw as Marker) : undefined;
}

interface OpenEmphasis {
  readonly marker: Marker;
  /** Where the marker sits in the output: its opening tags once closed, the literal marker if given up. */
  readonly outputIndex: number;
}

/**
 * Pairs markers with a stack, so the output is a tree and its tags always balance: a closer
 * matches the nearest open marker of its kind, markers opened after that one and still open
 * fall back to literal text, and markers left open at the end of the line do too.
 *
 * The output stays one flat list, in which an open marker holds a slot that becomes its opening
 * tags or its literal text once that is known. Building a list per marker and joining or
 * spreading it into its parent when the marker closed or was given up copied the same text once
 * per level of nesting: seconds on a line of "_a _a _a …".
 */
function matchMarkers(items: readonly InlineItem[], context: InlineContext): string {
  const output: string[] = [];
  const open: OpenEmphasis[] = [];
  // The positions in `open` of each kind of marker, so the nearest one is found without a search.
  const openPositions = new Map<Marker, number[]>();
  const popOpen = (): OpenEmphasis | undefined => {
    const emphasis = open.pop();
    if (emphasis !== undefined) openPositions.get(emphasis.marker)?.pop();
    return emphasis;
  };
  const giveUp = (emphasis: OpenEmphasis): void => {
    output[emphasis.outputIndex] = escapeHtml(emphasis.marker);
  };
  for (const item of items) {
    if (item.kind === "html") {
      output.push(item.html);
      continue;
    }
    const openerIndex = item.canClose ? (openPositions.get(item.marker)?.at(-1) ?? -1) : -1;
    if (openerIndex >= 0) {
      while (open.length - 1 > openerIndex) {
        const unclosed = popOpen();
        if (unclosed !== undefined) giveUp(unclosed);
      }
      const opener = popOpen();
      if (opener !== undefined) {
        const tags = tagsFor(opener.marker, context);
        output[opener.outputIndex] = tags.opening;
        output.push(tags.closing);
      }
    } else if (item.canOpen) {
      open.push({ marker: item.marker, outputIndex: output.length });
      output.push("");
      const positions = openPositions.get(item.marker);
      if (positions === undefined) openPositions.set(item.marker, [open.length - 1]);
      else positions.push(open.length - 1);
    } else {
      output.push(escapeHtml(item.marker));
    }
  }
  while (open.length > 0) {
    const unclosed = popOpen();
    if (unclosed !== undefined) giveUp(unclosed);
  }
  return output.join("");
}

interface MarkerTags {
  readonly opening: string;
  readonly closing: string;
}

function markerTags(insideBold: boolean): Record<Marker, MarkerTags> {
  const entries = Object.entries(tagsOf).map(([marker, tags]) => {
    const kept = tags.filter((tag) => !(insideBold && tag === "b"));
    // The first tag is the outermost: "***" is <b><i>…</i></b>.
    return [marker, { opening: kept.map((tag) => `<${tag}>`).join(""), closing: kept.map((tag) => `</${tag}>`).reverse().join("") }];
  });
  return Object.fromEntries(entries) as Record<Marker, MarkerTags>;
}

const markerTagsAtTopLevel = markerTags(false);
const markerTagsInsideBold = markerTags(true);

function tagsFor(marker: Marker, context: InlineContext): MarkerTags {
  return (context.insideBold ? markerTagsInsideBold : markerTagsAtTopLevel)[marker];
}
