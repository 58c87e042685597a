import { badRequest } from "./bot-api-error.js";
import { parseTelegramHtml, type FormattingEntity, type ParsedText } from "./telegram-html.js";

/** Telegram's limit, counted in UTF-16 code units of the text after entity parsing. */
export const maximumMessageLength = 4096;

/**
 * Validates and renders `text` + `parse_mode` as Telegram would before sending or editing:
 * the visible text (trimmed, like Telegram trims it) and its formatting entities.
 */
export function renderMessageText(text: unknown, parseMode: unknown, options: { readonly allowEmpty: boolean }): ParsedText {
  if (text !== undefined && typeof text !== "string") throw badRequest("message text is empty");
  const source = text ?? "";
  let parsed: ParsedText;
  if (parseMode === undefined || parseMode === "") parsed = { text: source, entities: [] };
  else if (parseMode === "HTML") parsed = parseTelegramHtml(source);
  // The adapter never sends Markdown; the fake shows it verbatim rather than pretend to parse it.
  else if (parseMode === "MarkdownV2" || parseMode === "Markdown") parsed = { text: source, entities: [] };
  else throw badRequest("unsupported parse_mode");
  const trimmed = trimWithEntities(parsed);
  if (trimmed.text === "" && !options.allowEmpty) throw badRequest("message text is empty");
  if (trimmed.text.length > maximumMessageLength) throw badRequest("message is too long");
  return trimmed;
}

function trimWithEntities(parsed: ParsedText): ParsedText {
  const leading = parsed.text.length - parsed.text.trimStart().length;
  const text = parsed.text.trim();
  const entities: FormattingEntity[] = [];
  for (const entity of parsed.entities) {
    const start = Math.max(0, entity.offset - leading);
    const end = Math.min(text.length, entity.offset - leading + entity.length);
    if (end > start) entities.push({ ...entity, offset: start, length: end - start });
  }
  return { text, entities };
}
