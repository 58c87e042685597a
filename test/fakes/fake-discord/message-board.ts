/**
 * Every message the fake knows: what users wrote (so replies can quote them) and what the bot
 * posted, edited or deleted (so tests can read what a person would now see).
 */
import type { Json } from "./payloads.js";

export interface StoredMessage {
  readonly id: string;
  readonly channelId: string;
  readonly fromBot: boolean;
  /** Only the person who ran the command sees it. */
  readonly ephemeral: boolean;
  /** Set for an interaction's original response and its follow-ups. */
  readonly interactionToken: string | undefined;
  payload: Json;
  deleted: boolean;
}

export interface VisibleMessage {
  readonly id: string;
  readonly content: string;
  readonly ephemeral: boolean;
  /** The message this one replies to (`message_reference`), if any. */
  readonly replyToMessageId: string | undefined;
  /** True for an interaction's deferred response that was never edited ("Mami is thinking..."). */
  readonly pending: boolean;
  readonly interactionToken: string | undefined;
}

/** Discord's flag for a deferred response still showing "thinking". */
export const loadingFlag = 128;
export const ephemeralFlag = 64;

export class MessageBoard {
  private readonly messages = new Map<string, StoredMessage>();

  add(message: Omit<StoredMessage, "deleted">): StoredMessage {
    const stored = { ...message, deleted: false };
    this.messages.set(message.id, stored);
    return stored;
  }

  get(id: string): StoredMessage | undefined {
    const message = this.messages.get(id);
    return message?.deleted === false ? message : undefined;
  }

  /** The bot's messages in a channel, oldest first, as they read now. */
  visible(channelId: string): VisibleMessage[] {
    return [...this.messages.values()]
      .filter((message) => message.fromBot && !message.deleted && message.channelId === channelId)
      .map((message) => {
        const reference = message.payload["message_reference"] as { message_id?: string } | undefined;
        const flags = Number(message.payload["flags"] ?? 0);
        return {
          id: message.id,
          content: typeof message.payload["content"] === "string" ? message.payload["content"] : "",
          ephemeral: message.ephemeral,
          replyToMessageId: reference?.message_id,
          pending: (flags & loadingFlag) !== 0,
          interactionToken: message.interactionToken,
        };
      });
  }

  /** Every message of a channel that everyone sees (users' and the bot's), newest first, as Discord lists them. */
  inChannel(channelId: string): StoredMessage[] {
    return [...this.messages.values()]
      .filter((message) => message.channelId === channelId && !message.deleted && !message.ephemeral)
      .sort((first, second) => (BigInt(second.id) > BigInt(first.id) ? 1 : -1));
  }

  /** The original response and follow-ups of one interaction, oldest first. */
  ofInteraction(token: string): StoredMessage[] {
    return [...this.messages.values()].filter((message) => message.interactionToken === token && !message.deleted);
  }
}
