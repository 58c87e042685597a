/** A Discord message addressed to Mami, as the core's `ChatRequest`. */
import type { Message } from "discord.js";
import type { AddressedBy, ChatRequest, QuotedMessage } from "../../core/request.js";
import { attachmentsOf } from "./attachments.js";
import { chatLocationOf } from "./chat-location.js";
import { textForModel } from "./message-text.js";

export async function messageToChatRequest(message: Message, addressedBy: AddressedBy, botUserId: string): Promise<ChatRequest> {
  const replyTo = await quotedMessageOf(message, botUserId);
  return {
    location: chatLocationOf(message.channel, message.channelId, message.inGuild()),
    messageId: message.id,
    author: { id: message.author.id, name: authorName(message), isBot: message.author.bot },
    text: textForModel(message, botUserId),
    attachments: attachmentsOf(message),
    addressedBy,
    ...(replyTo === undefined ? {} : { replyTo }),
  };
}

function authorName(message: Message): string {
  return message.member?.displayName ?? message.author.displayName;
}

/** The message this one replies to: discord.js caches it from the event; fetched only when it did not come along. */
async function quotedMessageOf(message: Message, botUserId: string): Promise<QuotedMessage | undefined> {
  const referencedId = message.reference?.messageId;
  if (referencedId === undefined) return undefined;
  const referenced = message.channel.messages.cache.get(referencedId) ?? (await message.fetchReference().catch(() => undefined));
  if (referenced === undefined) return undefined;
  return {
    messageId: referenced.id,
    authorName: authorName(referenced),
    fromBot: referenced.author.id === botUserId,
    text: textForModel(referenced, botUserId),
    attachments: attachmentsOf(referenced),
  };
}
