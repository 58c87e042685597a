import type { FakeTelegramWorld } from "./method-context.js";
import type {
  AlbumContent,
  AlbumItem,
  CallbackQueryOptions,
  FakeUser,
  GroupAlbumOptions,
  GroupMessageOptions,
  PhotoSizeInput,
  PrivateAlbumOptions,
  PrivateMessageOptions,
  UserMessageContent,
  UserMessageOptions,
} from "./types.js";
import { unixTimeNow, type TelegramChat, type TelegramEntity, type TelegramMessage, type TelegramUser } from "./wire-types.js";

const defaultUser: TelegramUser = { id: 5_550_001, is_bot: false, first_name: "Ada", username: "ada_l", language_code: "en" };
const defaultGroupId = -1_001_234_567_890;

function userFrom(from: FakeUser | undefined): TelegramUser {
  if (from === undefined) return defaultUser;
  return {
    id: from.id ?? defaultUser.id,
    is_bot: from.is_bot ?? false,
    first_name: from.first_name ?? defaultUser.first_name,
    ...(from.last_name === undefined ? {} : { last_name: from.last_name }),
    ...(from.username === undefined ? {} : { username: from.username }),
    ...(from.language_code === undefined ? {} : { language_code: from.language_code }),
  };
}

/** The entities Telegram itself adds to what a user types: a leading /command and @mentions. */
function detectEntities(text: string): TelegramEntity[] {
  const entities: TelegramEntity[] = [];
  const command = /^\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?/.exec(text);
  if (command !== null) entities.push({ type: "bot_command", offset: 0, length: command[0].length });
  for (const match of text.matchAll(/(^|[^\w@/])(@[a-zA-Z0-9_]{5,32})/g)) {
    entities.push({ type: "mention", offset: (match.index ?? 0) + (match[1] ?? "").length, length: (match[2] ?? "").length });
  }
  return entities;
}

/** Where a user's message goes, and the topic's creation message a topic message "replies" to. */
interface UserMessagePlace {
  readonly chat: TelegramChat;
  readonly from: TelegramUser;
  readonly topicCreation: TelegramMessage | undefined;
}

type ReplyOptions = Pick<UserMessageOptions, "replyToBotMessageId" | "replyToUserMessage"> & { readonly messageThreadId?: number };

/** Telegram's own limits on an album, which a client enforces before sending. */
function checkAlbumItems(items: readonly AlbumItem[]): void {
  if (items.length < 2 || items.length > 10) throw new Error(`An album holds 2 to 10 items, not ${items.length}.`);
  const kinds = new Set(items.map((item) => (item.photo !== undefined ? "photo" : item.document !== undefined ? "document" : "nothing")));
  if (kinds.has("nothing")) throw new Error("Every album item needs a photo or a document.");
  if (kinds.size > 1) throw new Error("Telegram does not mix photos and documents in one album.");
}

/**
 * Builds the messages and callback queries a real user's client would cause, registers their
 * files for download, and pushes them as updates.
 */
export class UserMessageFactory {
  private callbackCounter = 0;
  private albumCounter = 0;

  constructor(private readonly world: FakeTelegramWorld) {}

  privateMessage(options: PrivateMessageOptions): TelegramMessage {
    const place = this.privateChat(options);
    return this.pushMessage(place, this.content(options, undefined), options);
  }

  groupMessage(options: GroupMessageOptions): TelegramMessage {
    const place = this.groupChat(options);
    return this.pushMessage(place, this.content(options, options.mention), options);
  }

  privateAlbum(options: PrivateAlbumOptions): TelegramMessage[] {
    return this.pushAlbum(this.privateChat(options), options, undefined);
  }

  groupAlbum(options: GroupAlbumOptions): TelegramMessage[] {
    return this.pushAlbum(this.groupChat(options), options, options.mention);
  }

  callbackQuery(options: CallbackQueryOptions): { id: string } {
    const stored = this.world.chats.find(options.chatId, options.messageId);
    if (stored === undefined) throw new Error(`No message ${options.messageId} in chat ${options.chatId}.`);
    this.callbackCounter += 1;
    const id = `${Date.now()}${this.callbackCounter}`;
    this.world.callbackQueries.set(id, { answered: false });
    this.world.updates.push("callback_query", {
      id,
      from: userFrom(options.from),
      message: stored.message,
      chat_instance: `instance${options.chatId}`,
      data: options.data,
    });
    return { id };
  }

  private privateChat(options: PrivateMessageOptions | PrivateAlbumOptions): UserMessagePlace {
    const from = userFrom(options.from);
    const chat: TelegramChat = {
      id: options.chatId ?? from.id,
      type: "private",
      first_name: from.first_name,
      ...(from.username === undefined ? {} : { username: from.username }),
    };
    this.world.chats.ensureChat(chat);
    return { chat, from, topicCreation: undefined };
  }

  private groupChat(options: GroupMessageOptions | GroupAlbumOptions): UserMessagePlace {
    const from = userFrom(options.from);
    const chatId = options.chatId ?? defaultGroupId;
    const forum = options.messageThreadId !== undefined;
    const chat: TelegramChat = {
      id: chatId,
      type: "supergroup",
      title: options.title ?? "Mami testers",
      ...(forum ? { is_forum: true as const } : {}),
    };
    this.world.chats.ensureChat(chat);
    const topicCreation = options.messageThreadId === undefined ? undefined : this.ensureTopic(chatId, options.messageThreadId, from);
    return { chat: this.world.chats.chat(chatId), from, topicCreation };
  }

  private pushMessage(place: UserMessagePlace, content: Record<string, unknown>, options: ReplyOptions): TelegramMessage {
    const message = this.userMessage(place, content, options.messageThreadId, this.replyTo(place, options));
    this.world.updates.push("message", message);
    return message;
  }

  /** An album is one message per item, sent together: same group id, same reply, consecutive ids. */
  private pushAlbum(place: UserMessagePlace, options: ReplyOptions & AlbumContent, mention: boolean | "text_mention" | undefined): TelegramMessage[] {
    checkAlbumItems(options.items);
    this.albumCounter += 1;
    const mediaGroupId = String(13_900_000_000_000 + this.albumCounter);
    const replyTo = this.replyTo(place, options);
    const messages = options.items.map((item, index) =>
      this.userMessage(place, { ...this.content(item, index === 0 ? mention : undefined), media_group_id: mediaGroupId }, options.messageThreadId, replyTo),
    );
    const gapMs = options.arrivalGapMs ?? 0;
    messages.forEach((message, index) => {
      if (index === 0 || gapMs === 0) this.world.updates.push("message", message);
      else setTimeout(() => this.world.updates.push("message", message), index * gapMs);
    });
    return messages;
  }

  private replyTo(place: UserMessagePlace, options: ReplyOptions): TelegramMessage | undefined {
    // Telegram's quirk: inside a forum topic, a message that replies to nothing "replies" to the
    // topic's creation message. Adapters must not take that for a reply.
    return this.replyTarget(place.chat, options, options.messageThreadId) ?? place.topicCreation;
  }

  /** Builds and stores a user's message; pushing it as an update is the caller's. */
  private userMessage(
    place: UserMessagePlace,
    content: Record<string, unknown>,
    threadId: number | undefined,
    replyTo: TelegramMessage | undefined,
  ): TelegramMessage {
    const message: TelegramMessage = {
      message_id: this.world.chats.nextMessageId(place.chat.id),
      from: place.from,
      chat: place.chat,
      date: unixTimeNow(),
      ...(threadId === undefined ? {} : { message_thread_id: threadId, is_topic_message: true as const }),
      ...(replyTo === undefined ? {} : { reply_to_message: withoutNestedReply(replyTo) }),
      ...content,
    };
    this.storeUserMessage(place.chat.id, message);
    return message;
  }

  private replyTarget(chat: TelegramChat, options: ReplyOptions, threadId: number | undefined): TelegramMessage | undefined {
    if (options.replyToBotMessageId !== undefined) {
      const stored = this.world.chats.find(chat.id, options.replyToBotMessageId);
      if (stored === undefined) throw new Error(`The bot has no message ${options.replyToBotMessageId} in chat ${chat.id}.`);
      return stored.message;
    }
    const quoted = options.replyToUserMessage;
    if (quoted === undefined) return undefined;
    if ("messageId" in quoted) {
      const stored = this.world.chats.find(chat.id, quoted.messageId);
      if (stored === undefined) throw new Error(`No message ${quoted.messageId} in chat ${chat.id}.`);
      return stored.message;
    }
    // An earlier message that was never addressed to the bot, so it was never an update either.
    const earlier: TelegramMessage = {
      message_id: this.world.chats.nextMessageId(chat.id),
      from: userFrom(quoted.from ?? { id: 5_550_999, first_name: "Grace", username: "grace_h" }),
      chat,
      date: unixTimeNow() - 60,
      ...(threadId === undefined ? {} : { message_thread_id: threadId, is_topic_message: true as const }),
      ...this.content(quoted, undefined),
    };
    this.storeUserMessage(chat.id, earlier);
    return earlier;
  }

  private ensureTopic(chatId: number, threadId: number, creator: TelegramUser): TelegramMessage {
    const existing = this.world.chats.find(chatId, threadId);
    if (existing !== undefined) return existing.message;
    const creation: TelegramMessage = {
      message_id: threadId,
      from: creator,
      chat: this.world.chats.chat(chatId),
      date: unixTimeNow(),
      message_thread_id: threadId,
      is_topic_message: true,
      forum_topic_created: { name: `Topic ${threadId}`, icon_color: 7_322_096 },
    };
    this.world.chats.addThread(chatId, threadId);
    // Keep later ids above the topic's, as in Telegram where the creation message came first.
    this.world.chats.reserveMessageIdsThrough(chatId, threadId);
    this.storeUserMessage(chatId, creation);
    return creation;
  }

  private storeUserMessage(chatId: number, message: TelegramMessage): void {
    this.world.chats.store(chatId, {
      message,
      fromBot: false,
      visibleText: message.text ?? message.caption ?? "",
      entities: [],
      replyMarkup: undefined,
      parseMode: undefined,
      editCount: 0,
    });
  }

  private content(content: UserMessageContent, mention: boolean | "text_mention" | undefined): Record<string, unknown> {
    const media = this.media(content);
    const hasMedia = Object.keys(media).length > 0;
    const field = content.text !== undefined || !hasMedia ? "text" : "caption";
    let body = content.text ?? content.caption ?? "";
    let entities = content.entities === undefined ? detectEntities(body) : [...content.entities];
    if (mention === true) {
      const handle = `@${this.world.bot.username ?? ""}`;
      body = `${handle} ${body}`;
      entities = [{ type: "mention", offset: 0, length: handle.length }, ...shift(entities, handle.length + 1)];
    } else if (mention === "text_mention") {
      const name = this.world.bot.first_name;
      body = `${name} ${body}`;
      entities = [{ type: "text_mention", offset: 0, length: name.length, user: this.world.bot }, ...shift(entities, name.length + 1)];
    }
    const textFields: Record<string, unknown> = {};
    if (body !== "" || !hasMedia) {
      textFields[field] = body;
      if (entities.length > 0) textFields[field === "text" ? "entities" : "caption_entities"] = entities;
    }
    return { ...textFields, ...media };
  }

  private media(content: UserMessageContent): Record<string, unknown> {
    const media: Record<string, unknown> = {};
    if (content.photo !== undefined) media["photo"] = this.photoSizes(content.photo);
    if (content.document !== undefined) {
      const extension = /\.([a-zA-Z0-9]+)$/.exec(content.document.fileName)?.[1] ?? "bin";
      const file = this.world.files.register(content.document.bytes, {
        folder: "documents",
        extension,
        ...(content.document.declaredSize === undefined ? {} : { declaredSize: content.document.declaredSize }),
      });
      media["document"] = {
        file_id: file.fileId,
        file_unique_id: file.fileUniqueId,
        file_name: content.document.fileName,
        mime_type: content.document.mimeType,
        file_size: file.size,
      };
    }
    if (content.voice !== undefined) {
      const file = this.world.files.register(content.voice.bytes, { folder: "voice", extension: "oga" });
      media["voice"] = {
        file_id: file.fileId,
        file_unique_id: file.fileUniqueId,
        duration: content.voice.durationSeconds ?? 3,
        mime_type: content.voice.mimeType ?? "audio/ogg",
        file_size: file.size,
      };
    }
    if (content.audio !== undefined) {
      const file = this.world.files.register(content.audio.bytes, { folder: "music", extension: "mp3" });
      media["audio"] = {
        file_id: file.fileId,
        file_unique_id: file.fileUniqueId,
        duration: content.audio.durationSeconds ?? 30,
        file_name: content.audio.fileName ?? "audio.mp3",
        mime_type: content.audio.mimeType ?? "audio/mpeg",
        file_size: file.size,
      };
    }
    return media;
  }

  /** Telegram sends every stored size of a photo, smallest first, each a file of its own. */
  private photoSizes(photo: Uint8Array | readonly PhotoSizeInput[]): Record<string, unknown>[] {
    const sizes: readonly PhotoSizeInput[] =
      photo instanceof Uint8Array
        ? [
            { bytes: photo.subarray(0, Math.max(1, Math.floor(photo.byteLength / 8))), width: 90, height: 68 },
            { bytes: photo.subarray(0, Math.max(1, Math.floor(photo.byteLength / 2))), width: 320, height: 240 },
            { bytes: photo, width: 1280, height: 960 },
          ]
        : photo;
    return sizes.map((size) => {
      const file = this.world.files.register(size.bytes, {
        folder: "photos",
        extension: "jpg",
        ...(size.declaredSize === undefined ? {} : { declaredSize: size.declaredSize }),
      });
      return { file_id: file.fileId, file_unique_id: file.fileUniqueId, width: size.width, height: size.height, file_size: file.size };
    });
  }
}

function shift(entities: readonly TelegramEntity[], by: number): TelegramEntity[] {
  return entities.map((entity) => ({ ...entity, offset: entity.offset + by }));
}

/** Telegram nests one level of reply only. */
function withoutNestedReply(message: TelegramMessage): TelegramMessage {
  const { reply_to_message: _nested, ...rest } = message;
  return rest;
}
