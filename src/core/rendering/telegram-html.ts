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
 */
import { closesCodeFence, codeFenceOpenedBy, type CodeFence } from "./split-message.js";

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
  const content: string[] = [];
  let index = openingIndex + 1;
  for (; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    if (closesCodeFence(line, fence)) return { content, nextIndex: index + 1 };
    // A fence indented inside a list item indents its code as much; that indentation is the list's.
    content.push(line.replace(new RegExp(`^ {0,${indentation}}`), ""));
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

const tableDelimiterRow = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** A GitHub table: rows starting with "|", the second one of dashes. Empty when there is none. */
function readTable(lines: readonly string[], start: number): string[] {
  const rows = readWhile(lines, start, (line) => line.trimStart().startsWith("|"));
  return rows.length >= 2 && tableDelimiterRow.test(rows[1] ?? "") && (rows[1] ?? "").includes("-") ? rows : [];
}

/** One line outside code blocks: a heading, a rule, a list item, or a plain line. */
function lineHtml(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
  if (heading !== null) {
    const title = inlineHtml(heading[1] ?? "", { linksAllowed: true, insideBold: true });
    return title === "" ? "" : `<b>${title}</b>`;
  }
  if (/^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/.test(line)) return "———";
  const bullet = /^(\s*)[-*+](\s+)(.*)$/.exec(line);
  if (bullet !== null) return `${bullet[1] ?? ""}•${bullet[2] ?? ""}${inlineHtml(bullet[3] ?? "", topLevel)}`;
  return inlineHtml(line, topLevel);
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
    const piece = readCodeSpan(text, index) ?? (context.linksAllowed ? readLink(text, index, context) ?? readAutolink(text, index) : undefined);
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

/** `code`, ``code with ` inside``: a run of backticks closed by a run of the same length. */
function readCodeSpan(text: string, start: number): ReadPiece | undefined {
  if (text[start] !== "`") return undefined;
  let openingEnd = start;
  while (text[openingEnd] === "`") openingEnd += 1;
  const opening = text.slice(start, openingEnd);
  const runs = /`+/g;
  runs.lastIndex = start + opening.length;
  for (let run = runs.exec(text); run !== null; run = runs.exec(text)) {
    if (run[0].length !== opening.length) continue;
    let code = text.slice(start + opening.length, run.index);
    if (code.length >= 2 && code.startsWith(" ") && code.endsWith(" ") && code.trim() !== "") code = code.slice(1, -1);
    if (code === "") return undefined;
    return { html: `<code>${escapeHtml(code)}</code>`, end: run.index + run[0].length };
  }
  // No partner: the whole run is literal, so a later backtick of it cannot open a span either.
  return { html: escapeHtml(opening), end: start + opening.length };
}

/** [text](url "title") and ![alt](url); links to anything but the web, tg:// or mail keep their address as text. */
function readLink(text: string, start: number, context: InlineContext): ReadPiece | undefined {
  const isImage = text.startsWith("![", start);
  const textStart = start + (isImage ? 2 : 1);
  if (!isImage && text[start] !== "[") return undefined;
  const textEnd = closingBracketOf(text, textStart);
  if (textEnd === undefined || text[textEnd + 1] !== "(") return undefined;
  const destination = readDestination(text, textEnd + 2);
  if (destination === undefined) return undefined;
  const label = inlineHtml(text.slice(textStart, textEnd), { ...context, linksAllowed: false });
  const url = destination.url;
  if (label === "") return { html: escapeHtml(url), end: destination.end };
  if (!/^(https?:\/\/|tg:\/\/|mailto:)/i.test(url)) return { html: `${label} (${escapeHtml(url)})`, end: destination.end };
  // Only <angle-bracketed> addresses hold spaces; Telegram wants them encoded.
  return { html: `<a href="${escapeAttribute(url.replace(/ /g, "%20"))}">${label}</a>`, end: destination.end };
}

function closingBracketOf(text: string, from: number): number | undefined {
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

/** The part after "(": a URL (in <angle brackets>, or with balanced parentheses), an optional title, ")". */
function readDestination(text: string, from: number): { url: string; end: number } | undefined {
  const rest = text.slice(from);
  const match = /^\s*(?:<([^<>\n]*)>|((?:[^\s()]|\((?:[^\s()])*\))+))(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/.exec(rest);
  if (match === null) return undefined;
  const url = match[1] ?? match[2] ?? "";
  if (url === "") return undefined;
  return { url, end: from + match[0].length };
}

/** <https://example.com>: Telegram links bare addresses by itself, so the brackets just go. */
function readAutolink(text: string, start: number): ReadPiece | undefined {
  if (text[start] !== "<") return undefined;
  const match = /^<((?:https?|tg):\/\/[^\s<>]+|mailto:[^\s<>]+)>/i.exec(text.slice(start));
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
  readonly children: string[];
}

/**
 * Pairs markers with a stack, so the output is a tree and its tags always balance: a closer
 * matches the nearest open marker of its kind, markers opened after that one and still open
 * fall back to literal text, and markers left open at the end of the line do too.
 */
function matchMarkers(items: readonly InlineItem[], context: InlineContext): string {
  const root: string[] = [];
  const open: OpenEmphasis[] = [];
  const current = (): string[] => open.at(-1)?.children ?? root;
  const giveUp = (emphasis: OpenEmphasis): void => {
    current().push(escapeHtml(emphasis.marker), ...emphasis.children);
  };
  for (const item of items) {
    if (item.kind === "html") {
      current().push(item.html);
      continue;
    }
    const openerIndex = item.canClose ? open.findLastIndex((emphasis) => emphasis.marker === item.marker) : -1;
    if (openerIndex >= 0) {
      while (open.length - 1 > openerIndex) {
        const unclosed = open.pop();
        if (unclosed !== undefined) giveUp(unclosed);
      }
      const opener = open.pop();
      if (opener !== undefined) current().push(wrap(opener, context));
    } else if (item.canOpen) {
      open.push({ marker: item.marker, children: [] });
    } else {
      current().push(escapeHtml(item.marker));
    }
  }
  while (open.length > 0) {
    const unclosed = open.pop();
    if (unclosed !== undefined) giveUp(unclosed);
  }
  return root.join("");
}

function wrap(emphasis: OpenEmphasis, context: InlineContext): string {
  const inner = emphasis.children.join("");
  const tags = tagsOf[emphasis.marker].filter((tag) => !(context.insideBold && tag === "b"));
  return tags.reduceRight((html, tag) => `<${tag}>${html}</${tag}>`, inner);
}
