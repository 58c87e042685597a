/**
 * The few Bot API object shapes the fake builds. Kept loose on purpose: the fake sends what
 * Telegram sends, and grammY's own types check the bot's side of the conversation.
 */

export interface TelegramUser {
  readonly id: number;
  readonly is_bot: boolean;
  readonly first_name: string;
  readonly last_name?: string;
  readonly username?: string;
  readonly language_code?: string;
}

export interface TelegramChat {
  readonly id: number;
  readonly type: "private" | "group" | "supergroup";
  readonly title?: string;
  readonly first_name?: string;
  readonly username?: string;
  readonly is_forum?: true;
}

export interface TelegramEntity {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly url?: string;
  readonly user?: TelegramUser;
  readonly language?: string;
}

export interface InlineKeyboardButton {
  readonly text: string;
  readonly callback_data?: string;
  readonly url?: string;
}

export interface InlineKeyboardMarkup {
  readonly inline_keyboard: readonly (readonly InlineKeyboardButton[])[];
}

/** A message as Telegram serializes it; optional fields appear only when set. */
export interface TelegramMessage {
  readonly message_id: number;
  readonly date: number;
  readonly chat: TelegramChat;
  readonly from?: TelegramUser;
  readonly message_thread_id?: number;
  readonly is_topic_message?: true;
  readonly text?: string;
  readonly entities?: readonly TelegramEntity[];
  readonly caption?: string;
  readonly caption_entities?: readonly TelegramEntity[];
  readonly reply_to_message?: TelegramMessage;
  readonly reply_markup?: InlineKeyboardMarkup;
  readonly edit_date?: number;
  readonly [field: string]: unknown;
}

export interface TelegramUpdate {
  readonly update_id: number;
  readonly [kind: string]: unknown;
}

export function unixTimeNow(): number {
  return Math.floor(Date.now() / 1000);
}
