/**
 * The one request shape every platform adapter produces. The core never sees a platform object.
 */

export type Platform = "telegram" | "discord" | "cli";

export type AttachmentKind = "image" | "text" | "document" | "audio" | "other";

export interface Attachment {
  /** The adapter's classification from the platform's type, mime type or file name. */
  readonly kind: AttachmentKind;
  readonly mimeType: string;
  readonly name: string;
  /** What the platform claims; never trusted for the cap, only for an early refusal. */
  readonly declaredSize: number | undefined;
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
}

export interface QuotedMessage {
  readonly messageId: string;
  readonly authorName: string;
  readonly fromBot: boolean;
  readonly text: string;
  readonly attachments: readonly Attachment[];
}

/** How the bot was addressed; an unaddressed message never reaches the core. */
export type AddressedBy = "private" | "mention" | "reply" | "command";

export interface ChatRequest {
  readonly location: ChatLocation;
  readonly messageId: string;
  readonly author: Author;
  readonly text: string;
  readonly attachments: readonly Attachment[];
  readonly replyTo?: QuotedMessage;
  readonly addressedBy: AddressedBy;
  /**
   * When the platform delivered the message (the core's clock). Messages of one chat are
   * answered one after another; this keeps a later one's place in the quota queue, and its
   * deadline, where its arrival put it.
   */
  readonly receivedAt?: number;
}

/** `tg:123`, `dc:456`: the prefixed ids used by ALLOWED_USERS, ALLOWED_CHATS and ADMIN_USERS. */
export function prefixedId(platform: Platform, id: string): string {
  const prefix = platform === "telegram" ? "tg" : platform === "discord" ? "dc" : "cli";
  return `${prefix}:${id}`;
}
