/**
 * The one request shape every platform adapter produces. The core never sees a platform object.
 */

export type Platform = "telegram" | "discord" | "cli";

export interface Attachment {
  readonly mimeType: string;
  readonly name: string;
  /** What the platform claims; never trusted for the cap, only for an early refusal. */
  readonly declaredSize: number | undefined;
  /** The platform marks it as a recorded voice message (Telegram voice notes, Discord voice messages). */
  readonly isVoiceMessage?: boolean;
  /**
   * Downloads the bytes only when the pipeline needs them. Must stop reading and throw
   * `AttachmentTooLargeError` as soon as more than `maxBytes` arrive.
   */
  fetch(maxBytes: number): Promise<Uint8Array>;
}

/** Where a message was written: a private chat, a group or channel, or a thread/forum topic. */
export type ChatKind = "private" | "group" | "thread";

export interface ChatLocation {
  readonly platform: Platform;
  readonly chatId: string;
  readonly kind: ChatKind;
  /** Telegram forum topic or Discord thread id; a thread is one conversation. */
  readonly threadId?: string;
}

export interface Author {
  readonly id: string;
  readonly name: string;
  readonly isBot: boolean;
  /**
   * Whether the platform says they administer this chat (Telegram's chat administrators,
   * Discord's Manage Server or Manage Channel). Adapters fill it in for commands in groups,
   * where changing the chat's settings needs it.
   */
  readonly isChatAdmin?: boolean;
}

export interface QuotedMessage {
  readonly messageId: string;
  readonly authorName: string;
  readonly fromBot: boolean;
  readonly text: string;
  readonly attachments: readonly Attachment[];
}

/** How the bot was addressed; an unaddressed message never reaches the core. */
export type AddressedBy = "private" | "mention" | "reply" | "command" | "button";

/**
 * A chat command, parsed once where it arrived: a Discord slash command's options, a Telegram
 * `/command` line (commands/parseCommandLine), a button's command. `options` are the raw values;
 * the command's own schema checks them.
 */
export interface CommandInvocation {
  readonly name: string;
  readonly options: Readonly<Record<string, string | undefined>>;
}

export interface ChatRequest {
  readonly location: ChatLocation;
  readonly messageId: string;
  readonly author: Author;
  readonly text: string;
  readonly attachments: readonly Attachment[];
  readonly replyTo?: QuotedMessage;
  readonly addressedBy: AddressedBy;
  /** Set when the message is a command; the core runs it instead of answering the text. */
  readonly command?: CommandInvocation;
  /**
   * For a button: the user the buttons were shown to. Anyone else's tap is refused, since
   * buttons change the conversation of the person who asked for them.
   */
  readonly buttonsShownTo?: string;
  /**
   * When the platform delivered the message (the core's clock). Messages of one conversation
   * are answered one after another; this keeps a later one's place in the quota queue, and its
   * deadline, where its arrival put it.
   */
  readonly receivedAt?: number;
  /** `/search`: the question is looked up on the web whatever routing would say. */
  readonly wantsSearch?: boolean;
  /**
   * The user's language as the platform gives it (Telegram's `language_code`, Discord's
   * interaction locale or the guild's preferred one), a tag like "tr" or "es-ES". Mami's own
   * words follow it (core/language/wording.ts `wordingOf`); the models follow what the user writes.
   */
  readonly locale?: string;
}

/** `tg:123`, `dc:456`: the prefixed ids used by ALLOWED_USERS, ALLOWED_CHATS and ADMIN_USERS. */
export function prefixedId(platform: Platform, id: string): string {
  const prefix = platform === "telegram" ? "tg" : platform === "discord" ? "dc" : "cli";
  return `${prefix}:${id}`;
}
