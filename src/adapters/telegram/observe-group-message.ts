import type { Message } from "grammy/types";
import type { Mami } from "../../core/mami.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import { textAndEntities } from "./addressing.js";
import { authorOf, locationOf } from "./to-chat-request.js";

/** A message without words still shows in the chat's record as what it was. */
function placeholderFor(message: Message): string {
  if (message.photo !== undefined) return "[a photo]";
  if (message.voice !== undefined) return "[a voice message]";
  if (message.document !== undefined) return `[a file: ${message.document.file_name ?? "unnamed"}]`;
  if (message.sticker !== undefined) return `[a sticker${message.sticker.emoji === undefined ? "" : ` ${message.sticker.emoji}`}]`;
  return "";
}

/**
 * Hands a group message the bot will not answer to the core, which keeps it a while so that a
 * later mention can ask about it (GROUP_CONTEXT_*). With BotFather's privacy mode on, Telegram
 * delivers only what addresses the bot, so there is little of it; with privacy mode off, every
 * message of the group. Awaited: the chat's updates are handled in order, so the record is
 * complete before the next message of the chat, a mention perhaps, is prepared. A failure is
 * only logged: nobody asked anything, so nobody is told.
 */
export async function observeGroupMessage(mami: Mami, message: Message, clock: Clock, logger: Logger): Promise<void> {
  if (message.chat.type !== "group" && message.chat.type !== "supergroup") return;
  if (message.from === undefined) return;
  const text = textAndEntities(message).text.trim() || placeholderFor(message);
  if (text === "") return;
  try {
    await mami.observeGroupMessage({
      location: locationOf(message.chat, message),
      messageId: String(message.message_id),
      author: authorOf(message.from),
      text,
      at: clock.now(),
    });
  } catch (error) {
    logger.warn({ chat: message.chat.id, error: error instanceof Error ? error.message : String(error) }, "could not keep a group message for context");
  }
}
