import { badRequest } from "./bot-api-error.js";

/**
 * Parses `parse_mode: "HTML"` text the way Telegram does (tdlib's parse_html): only the tags the
 * Bot API documents, every start tag closed in order, the four named entities plus numeric ones.
 * Anything else is a 400 "can't parse entities" with Telegram's own wording, so the adapter's
 * plain-text fallback is exercised by the same input that would trip the real server.
 */

export interface FormattingEntity {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly url?: string;
  readonly language?: string;
}

export interface ParsedText {
  /** What the user sees: tags removed, entities decoded. */
  readonly text: string;
  readonly entities: readonly FormattingEntity[];
}

const entityTypeByTag: Readonly<Record<string, string>> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  a: "text_link",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};

const namedCharacterEntities: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"' };

interface OpenTag {
  readonly name: string;
  readonly offset: number;
  readonly attributes: Readonly<Record<string, string>>;
}

function cannotParse(detail: string): Error {
  return badRequest(`can't parse entities: ${detail}`);
}

function byteOffset(html: string, index: number): number {
  return Buffer.byteLength(html.slice(0, index), "utf8");
}

export function parseTelegramHtml(html: string): ParsedText {
  let text = "";
  const entities: FormattingEntity[] = [];
  const openTags: OpenTag[] = [];
  let index = 0;
  while (index < html.length) {
    const character = html[index] ?? "";
    if (character === "&") {
      const decoded = decodeCharacterEntity(html, index);
      text += decoded.text;
      index = decoded.nextIndex;
      continue;
    }
    if (character !== "<") {
      text += character;
      index += 1;
      continue;
    }
    const tagStart = index;
    const tagEnd = html.indexOf(">", index);
    if (html[index + 1] === "/") {
      if (tagEnd === -1) throw cannotParse(`Unclosed end tag at byte offset ${byteOffset(html, tagStart)}`);
      const name = html.slice(index + 2, tagEnd).trim().toLowerCase();
      const open = openTags.pop();
      if (open === undefined) throw cannotParse(`Unexpected end tag at byte offset ${byteOffset(html, tagStart)}`);
      if (open.name !== name) {
        throw cannotParse(
          `Unmatched end tag at byte offset ${byteOffset(html, tagStart)}, expected "</${open.name}>", found "</${name}>"`,
        );
      }
      const entity = entityFor(open, text.length);
      if (entity !== undefined) entities.push(entity);
      index = tagEnd + 1;
      continue;
    }
    const nameMatch = /^[a-zA-Z0-9-]*/.exec(html.slice(index + 1));
    const name = (nameMatch?.[0] ?? "").toLowerCase();
    if (!(name in entityTypeByTag)) {
      throw cannotParse(`Unsupported start tag "${name}" at byte offset ${byteOffset(html, tagStart)}`);
    }
    if (tagEnd === -1) throw cannotParse(`Unclosed start tag at byte offset ${byteOffset(html, tagStart)}`);
    const attributes = parseAttributes(html.slice(index + 1 + name.length, tagEnd));
    if (name === "span" && attributes["class"] !== "tg-spoiler") {
      throw cannotParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(html, tagStart)}`);
    }
    openTags.push({ name, offset: text.length, attributes });
    index = tagEnd + 1;
  }
  const unclosed = openTags.pop();
  if (unclosed !== undefined) throw cannotParse(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities };
}

function entityFor(open: OpenTag, endOffset: number): FormattingEntity | undefined {
  const length = endOffset - open.offset;
  if (length === 0) return undefined;
  const type = entityTypeByTag[open.name] ?? "unknown";
  const href = open.attributes["href"];
  const language = open.attributes["class"]?.replace(/^language-/, "");
  return {
    type,
    offset: open.offset,
    length,
    ...(type === "text_link" && href !== undefined ? { url: href } : {}),
    ...(type === "code" && language !== undefined && language !== "" ? { language } : {}),
  };
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([a-zA-Z_-][a-zA-Z0-9_-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  for (const match of source.matchAll(pattern)) {
    const attributeName = (match[1] ?? "").toLowerCase();
    attributes[attributeName] = decodeAll(match[2] ?? match[3] ?? match[4] ?? "");
  }
  return attributes;
}

function decodeAll(value: string): string {
  let decoded = "";
  let index = 0;
  while (index < value.length) {
    if (value[index] === "&") {
      const entity = decodeCharacterEntity(value, index);
      decoded += entity.text;
      index = entity.nextIndex;
    } else {
      decoded += value[index] ?? "";
      index += 1;
    }
  }
  return decoded;
}

/** Telegram knows only &lt; &gt; &amp; &quot; and numeric entities; any other `&` stays literal. */
function decodeCharacterEntity(html: string, index: number): { text: string; nextIndex: number } {
  const match = /^&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/.exec(html.slice(index, index + 16));
  const body = match?.[1];
  if (match === null || body === undefined) return { text: "&", nextIndex: index + 1 };
  if (body.startsWith("#")) {
    const codePoint = body.startsWith("#x") ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
    if (codePoint > 0 && codePoint <= 0x10ffff) return { text: String.fromCodePoint(codePoint), nextIndex: index + match[0].length };
    return { text: "&", nextIndex: index + 1 };
  }
  const named = namedCharacterEntities[body];
  if (named === undefined) return { text: "&", nextIndex: index + 1 };
  return { text: named, nextIndex: index + match[0].length };
}
