import type { InjectedFailure } from "./bot-api-error.js";
import type { StoredDraft } from "./chat-store.js";
import type { BotCommand } from "./method-context.js";
import type { MethodParams } from "./request-params.js";
import type { FormattingEntity } from "./telegram-html.js";
import type { InlineKeyboardMarkup, TelegramEntity, TelegramMessage, TelegramUser } from "./wire-types.js";

export interface FakeTelegramOptions {
  readonly token?: string;
  /** False plays a Bot API server without sendMessageDraft (the method answers 404). Default true. */
  readonly drafts?: boolean;
  /** Longest a getUpdates call is held open, whatever its `timeout`. Default 1000 ms. */
  readonly holdCapMs?: number;
}

export interface RecordedCall {
  /** Position in `calls`, so a test can wait only for calls made after a point. */
  readonly index: number;
  readonly method: string;
  readonly params: MethodParams;
  /** Milliseconds since the epoch with sub-millisecond precision, when the request arrived. */
  readonly receivedAt: number;
  /** Set once the fake answered: true, or the error it sent. */
  response?: { readonly ok: true } | { readonly ok: false; readonly error_code: number; readonly description: string };
}

export interface FakeUser {
  readonly id?: number;
  readonly first_name?: string;
  readonly last_name?: string;
  readonly username?: string;
  readonly is_bot?: boolean;
  /** The language of the user's Telegram app ("tr", "es"): sent with each of their updates. */
  readonly language_code?: string;
}

export interface PhotoSizeInput {
  /** Undefined with `declaredSize` for a size too large to download. */
  readonly bytes?: Uint8Array;
  readonly declaredSize?: number;
  readonly width: number;
  readonly height: number;
}

export interface DocumentInput {
  readonly bytes?: Uint8Array;
  readonly declaredSize?: number;
  readonly fileName: string;
  readonly mimeType: string;
}

export interface VoiceInput {
  readonly bytes: Uint8Array;
  readonly durationSeconds?: number;
  readonly mimeType?: string;
}

export interface AudioInput {
  readonly bytes: Uint8Array;
  readonly fileName?: string;
  readonly mimeType?: string;
  readonly durationSeconds?: number;
}

/** What a user's message contains. Commands and @mentions in the text get entities, as Telegram adds them. */
export interface UserMessageContent {
  readonly text?: string;
  readonly caption?: string;
  /** Bytes of the original photo (the fake derives smaller sizes), or every size explicitly. */
  readonly photo?: Uint8Array | readonly PhotoSizeInput[];
  readonly document?: DocumentInput;
  readonly voice?: VoiceInput;
  readonly audio?: AudioInput;
  /** Replaces the detected entities of the text or caption. */
  readonly entities?: readonly TelegramEntity[];
}

export interface UserMessageOptions extends UserMessageContent {
  readonly from?: FakeUser;
  /** The user replies to this message of the bot. */
  readonly replyToBotMessageId?: number;
  /** The user replies to an earlier message of a user: an existing one by id, or one created now. */
  readonly replyToUserMessage?: ({ readonly messageId: number } | (UserMessageContent & { readonly from?: FakeUser }));
}

export interface PrivateMessageOptions extends UserMessageOptions {
  /** Defaults to the user's id, as in Telegram. */
  readonly chatId?: number;
}

export interface GroupMessageOptions extends UserMessageOptions {
  readonly chatId?: number;
  readonly title?: string;
  /** Starts the text (or caption) with `@botusername`; `text_mention` uses the bot's name instead. */
  readonly mention?: boolean | "text_mention";
  /** Posts in this forum topic (the chat becomes a forum supergroup). */
  readonly messageThreadId?: number;
}

/** One photo or file of an album. Clients put the album's caption on the first item. */
export interface AlbumItem {
  readonly photo?: Uint8Array | readonly PhotoSizeInput[];
  readonly document?: DocumentInput;
  readonly caption?: string;
  readonly entities?: readonly TelegramEntity[];
}

/** What an album adds to a message's options: its items instead of the message's own content. */
export interface AlbumContent {
  /** 2 to 10 items, all photos or all documents, as Telegram allows. */
  readonly items: readonly AlbumItem[];
  /** Pushes the items this far apart, as a slow upload does; by default all at once. */
  readonly arrivalGapMs?: number;
}

export interface PrivateAlbumOptions extends Omit<PrivateMessageOptions, keyof UserMessageContent>, AlbumContent {}

/** `mention` starts the first item's caption with the bot's handle or name. */
export interface GroupAlbumOptions extends Omit<GroupMessageOptions, keyof UserMessageContent>, AlbumContent {}

export interface CallbackQueryOptions {
  readonly chatId: number;
  readonly messageId: number;
  readonly data: string;
  readonly from?: FakeUser;
}

/** A message of the bot as a user would now see it. */
export interface VisibleBotMessage {
  readonly messageId: number;
  readonly text: string;
  readonly entities: readonly FormattingEntity[];
  readonly parseMode: string | undefined;
  readonly replyToMessageId: number | undefined;
  readonly messageThreadId: number | undefined;
  readonly replyMarkup: InlineKeyboardMarkup | undefined;
  readonly editCount: number;
}

export interface FakeTelegram {
  /** For `new Bot(token, { client: { apiRoot } })`: no trailing slash. */
  readonly apiRoot: string;
  readonly token: string;
  readonly bot: TelegramUser;
  readonly calls: readonly RecordedCall[];
  pushPrivateMessage(options: PrivateMessageOptions): TelegramMessage;
  pushGroupMessage(options: GroupMessageOptions): TelegramMessage;
  /**
   * An album: one message (and update) per item, sharing a `media_group_id`, each item's files
   * registered for download. Every item replies to the same message, as in Telegram.
   */
  pushPrivateAlbum(options: PrivateAlbumOptions): TelegramMessage[];
  pushGroupAlbum(options: GroupAlbumOptions): TelegramMessage[];
  pushCallbackQuery(options: CallbackQueryOptions): { readonly id: string };
  /** Presses the inline button labelled `label` under a bot message. */
  tapButton(chatId: number, messageId: number, label: string, from?: FakeUser): { readonly id: string };
  /** Resolves with the first call (made so far or later) that matches; rejects after the timeout. */
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /**
   * The next `times` calls of `method` (only those whose parameters satisfy `when`, if given)
   * fail with this error instead of running.
   */
  failNext(method: string, failure: InjectedFailure, times?: number, when?: (params: MethodParams) => boolean): void;
  messagesIn(chatId: number): readonly VisibleBotMessage[];
  draftsIn(chatId: number): readonly StoredDraft[];
  /** From now on getChatMember says this user administers the chat. */
  makeAdministrator(chatId: number, userId: number): void;
  /** The command menu for everyone, or the one registered for users of a `language_code`. */
  commands(languageCode?: string): readonly BotCommand[];
  webhookDeliveries(): readonly { readonly updateId: number; readonly status: number }[];
  close(): Promise<void>;
}
