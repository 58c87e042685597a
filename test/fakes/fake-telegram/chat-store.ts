import { badRequest } from "./bot-api-error.js";
import type { FormattingEntity } from "./telegram-html.js";
import type { InlineKeyboardMarkup, TelegramChat, TelegramMessage } from "./wire-types.js";

/** A message the fake knows about, with what a user would currently see of it. */
export interface StoredMessage {
  message: TelegramMessage;
  readonly fromBot: boolean;
  /** For bot messages: the visible text and its formatting after the last edit. */
  visibleText: string;
  entities: readonly FormattingEntity[];
  replyMarkup: InlineKeyboardMarkup | undefined;
  parseMode: string | undefined;
  editCount: number;
}

export interface StoredDraft {
  readonly draftId: number;
  readonly text: string;
  readonly messageThreadId: number | undefined;
  readonly at: number;
}

interface ChatRecord {
  readonly chat: TelegramChat;
  readonly messages: Map<number, StoredMessage>;
  readonly threadIds: Set<number>;
  readonly drafts: StoredDraft[];
  nextMessageId: number;
}

/**
 * Every chat the fake has seen and the messages in it. Message ids are sequential per chat, as
 * in Telegram's private chats and supergroups, and shared by users and the bot.
 */
export class ChatStore {
  private readonly chats = new Map<number, ChatRecord>();

  ensureChat(chat: TelegramChat): void {
    if (!this.chats.has(chat.id)) {
      this.chats.set(chat.id, { chat, messages: new Map(), threadIds: new Set(), drafts: [], nextMessageId: 1 });
    }
  }

  chat(chatId: number): TelegramChat {
    return this.record(chatId).chat;
  }

  hasChat(chatId: number): boolean {
    return this.chats.has(chatId);
  }

  addThread(chatId: number, threadId: number): void {
    this.record(chatId).threadIds.add(threadId);
  }

  hasThread(chatId: number, threadId: number): boolean {
    return this.record(chatId).threadIds.has(threadId);
  }

  nextMessageId(chatId: number): number {
    const record = this.record(chatId);
    const id = record.nextMessageId;
    record.nextMessageId += 1;
    return id;
  }

  /** Later messages get ids above `messageId` (a forum topic's id is its first message's). */
  reserveMessageIdsThrough(chatId: number, messageId: number): void {
    const record = this.record(chatId);
    record.nextMessageId = Math.max(record.nextMessageId, messageId + 1);
  }

  store(chatId: number, stored: StoredMessage): void {
    this.record(chatId).messages.set(stored.message.message_id, stored);
  }

  remove(chatId: number, messageId: number): boolean {
    return this.chats.get(chatId)?.messages.delete(messageId) ?? false;
  }

  find(chatId: number, messageId: number): StoredMessage | undefined {
    return this.chats.get(chatId)?.messages.get(messageId);
  }

  botMessages(chatId: number): StoredMessage[] {
    const record = this.chats.get(chatId);
    if (record === undefined) return [];
    return [...record.messages.values()].filter((stored) => stored.fromBot).sort((a, b) => a.message.message_id - b.message.message_id);
  }

  addDraft(chatId: number, draft: StoredDraft): void {
    this.record(chatId).drafts.push(draft);
  }

  drafts(chatId: number): readonly StoredDraft[] {
    return this.chats.get(chatId)?.drafts ?? [];
  }

  /** The chat a method names, or Telegram's "chat not found". */
  private record(chatId: number): ChatRecord {
    const record = this.chats.get(chatId);
    if (record === undefined) throw badRequest("chat not found");
    return record;
  }
}
