import type { Chat, Message, User } from "grammy/types";
import type { Author, ChatLocation, ChatRequest, QuotedMessage } from "../../core/request.js";
import { isMentionOfBot, quotedMessage, textAndEntities, type Addressing, type BotIdentity } from "./addressing.js";
import { attachmentsOf } from "./attachments.js";
import type { FileDownloader } from "./file-download.js";

export function displayName(user: User | undefined): string {
  if (user === undefined) return "someone";
  const fullName = [user.first_name, user.last_name].filter((part) => part !== undefined && part !== "").join(" ");
  return fullName !== "" ? fullName : (user.username ?? String(user.id));
}

/** Where a message was written. A forum topic is a conversation of its own ("thread"). */
export function locationOf(chat: Chat, message: Pick<Message, "message_thread_id" | "is_topic_message"> | undefined): ChatLocation {
  const chatId = String(chat.id);
  if (chat.type === "private") return { platform: "telegram", chatId, kind: "private" };
  // message_thread_id without is_topic_message is a reply thread of an ordinary group, not a topic.
  if (message?.is_topic_message === true && message.message_thread_id !== undefined) {
    return { platform: "telegram", chatId, kind: "thread", threadId: String(message.message_thread_id) };
  }
  return { platform: "telegram", chatId, kind: "group" };
}

export function authorOf(user: User | undefined, isChatAdmin?: boolean): Author {
  return { id: String(user?.id ?? 0), name: displayName(user), isBot: user?.is_bot ?? false, ...(isChatAdmin === undefined ? {} : { isChatAdmin }) };
}

/** The user's language as their Telegram app is set (`language_code`, "tr"); Mami's own words follow it. */
export function localeOf(user: User | undefined): { readonly locale?: string } {
  const code = user?.language_code;
  return code === undefined || code === "" ? {} : { locale: code };
}

/** The text with every mention of the bot cut out: "@mami_bot what is 2+2?" asks "what is 2+2?". */
export function textWithoutBotMentions(message: Message, bot: BotIdentity): string {
  const { text, entities } = textAndEntities(message);
  const mentions = entities.filter((entity) => isMentionOfBot(text, entity, bot)).sort((first, second) => second.offset - first.offset);
  let remaining = text;
  for (const mention of mentions) {
    // "@mami_bot, what…" and "@mami_bot: what…" address the bot; the comma or colon goes with it.
    const after = remaining.slice(mention.offset + mention.length).replace(/^[,:]/, "");
    remaining = remaining.slice(0, mention.offset) + after;
  }
  return remaining.replace(/[ \t]{2,}/g, " ").trim();
}

function quotedOf(message: Message, bot: BotIdentity, download: FileDownloader): QuotedMessage | undefined {
  const quoted = quotedMessage(message);
  if (quoted === undefined) return undefined;
  return {
    messageId: String(quoted.message_id),
    authorName: displayName(quoted.from),
    fromBot: quoted.from?.id === bot.id,
    text: quoted.text ?? quoted.caption ?? "",
    attachments: attachmentsOf(quoted, download),
  };
}

/**
 * A Telegram message, already known to be addressed to the bot, as the core's ChatRequest.
 * `filesFrom` are the messages whose files go with it: all items of an album, which arrive as
 * messages of their own.
 */
export function toChatRequest(
  message: Message,
  addressing: Addressing,
  context: { readonly bot: BotIdentity; readonly download: FileDownloader; readonly receivedAt: number; readonly isChatAdmin?: boolean },
  filesFrom: readonly Message[] = [message],
): ChatRequest {
  const { bot, download } = context;
  const replyTo = quotedOf(message, bot, download);
  return {
    location: locationOf(message.chat, message),
    messageId: String(message.message_id),
    author: authorOf(message.from, context.isChatAdmin),
    text: textWithoutBotMentions(message, bot),
    attachments: filesFrom.flatMap((item) => attachmentsOf(item, download)),
    ...(replyTo === undefined ? {} : { replyTo }),
    addressedBy: addressing.addressedBy,
    ...(addressing.command === undefined ? {} : { command: addressing.command }),
    receivedAt: context.receivedAt,
    ...localeOf(message.from),
  };
}
