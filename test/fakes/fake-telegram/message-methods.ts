import { BotApiError, badRequest } from "./bot-api-error.js";
import type { StoredMessage } from "./chat-store.js";
import { renderMessageText } from "./message-text.js";
import type { FakeTelegramWorld, MethodCall, MethodHandler } from "./method-context.js";
import { numberParam, objectParam, stringParam, type MethodParams } from "./request-params.js";
import type { FormattingEntity } from "./telegram-html.js";
import { unixTimeNow, type InlineKeyboardMarkup, type TelegramMessage } from "./wire-types.js";

const chatActions = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

function requireChatId(world: FakeTelegramWorld, params: MethodParams): number {
  const chatId = numberParam(params, "chat_id");
  if (chatId === undefined || !world.chats.hasChat(chatId)) throw badRequest("chat not found");
  return chatId;
}

/** A thread id is valid only for a forum topic the chat has; anything else is "not found". */
function validThreadId(world: FakeTelegramWorld, chatId: number, params: MethodParams): number | undefined {
  const threadId = numberParam(params, "message_thread_id");
  if (threadId === undefined) return undefined;
  if (world.chats.chat(chatId).is_forum !== true || !world.chats.hasThread(chatId, threadId)) {
    throw badRequest("message thread not found");
  }
  return threadId;
}

function validKeyboard(params: MethodParams): InlineKeyboardMarkup | undefined {
  const markup = objectParam<InlineKeyboardMarkup>(params, "reply_markup");
  if (markup === undefined) return undefined;
  if (!Array.isArray(markup.inline_keyboard)) throw badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array");
  for (const row of markup.inline_keyboard) {
    for (const button of row) {
      if (typeof button.text !== "string" || button.text === "") throw badRequest("text buttons are unallowed in the inline keyboard");
      const data = button.callback_data;
      if (data !== undefined && (Buffer.byteLength(data, "utf8") > 64 || data === "")) throw badRequest("BUTTON_DATA_INVALID");
    }
  }
  return markup;
}

function repliedMessage(world: FakeTelegramWorld, chatId: number, params: MethodParams): TelegramMessage | undefined {
  const replyParameters = objectParam<{ message_id?: number; allow_sending_without_reply?: boolean }>(params, "reply_parameters");
  const messageId = replyParameters?.message_id ?? numberParam(params, "reply_to_message_id");
  if (messageId === undefined) return undefined;
  const replied = world.chats.find(chatId, messageId);
  if (replied !== undefined) return replied.message;
  if (replyParameters?.allow_sending_without_reply === true) return undefined;
  throw badRequest("message to be replied not found");
}

function sameEntities(first: readonly FormattingEntity[], second: readonly FormattingEntity[]): boolean {
  return JSON.stringify(first) === JSON.stringify(second);
}

function messageToEdit(world: FakeTelegramWorld, params: MethodParams): { chatId: number; stored: StoredMessage } {
  const chatId = requireChatId(world, params);
  const messageId = numberParam(params, "message_id");
  const stored = messageId === undefined ? undefined : world.chats.find(chatId, messageId);
  if (stored === undefined) throw badRequest("message to edit not found");
  if (!stored.fromBot) throw badRequest("message can't be edited");
  return { chatId, stored };
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

function serialize(stored: StoredMessage): TelegramMessage {
  const { entities: _previousEntities, reply_markup: _previousMarkup, ...rest } = stored.message;
  return {
    ...rest,
    text: stored.visibleText,
    ...(stored.entities.length > 0 ? { entities: stored.entities } : {}),
    ...(stored.replyMarkup === undefined ? {} : { reply_markup: stored.replyMarkup }),
  };
}

const sendMessage: MethodHandler = (world, { params }: MethodCall) => {
  const chatId = requireChatId(world, params);
  const parseMode = stringParam(params, "parse_mode");
  const rendered = renderMessageText(params["text"], parseMode, { allowEmpty: false });
  const threadId = validThreadId(world, chatId, params);
  const replyTo = repliedMessage(world, chatId, params);
  const replyMarkup = validKeyboard(params);
  const message: TelegramMessage = {
    message_id: world.chats.nextMessageId(chatId),
    date: unixTimeNow(),
    chat: world.chats.chat(chatId),
    from: world.bot,
    ...(threadId === undefined ? {} : { message_thread_id: threadId, is_topic_message: true as const }),
    ...(replyTo === undefined ? {} : { reply_to_message: replyTo }),
  };
  const stored: StoredMessage = {
    message,
    fromBot: true,
    visibleText: rendered.text,
    entities: rendered.entities,
    replyMarkup,
    parseMode,
    editCount: 0,
  };
  world.chats.store(chatId, stored);
  stored.message = serialize(stored);
  return stored.message;
};

const editMessageText: MethodHandler = (world, { params }) => {
  const { stored } = messageToEdit(world, params);
  const parseMode = stringParam(params, "parse_mode");
  const rendered = renderMessageText(params["text"], parseMode, { allowEmpty: false });
  // Telegram drops an inline keyboard that the edit does not repeat.
  const replyMarkup = validKeyboard(params);
  if (
    rendered.text === stored.visibleText &&
    sameEntities(rendered.entities, stored.entities) &&
    JSON.stringify(replyMarkup) === JSON.stringify(stored.replyMarkup)
  ) {
    throw badRequest(notModified);
  }
  stored.visibleText = rendered.text;
  stored.entities = rendered.entities;
  stored.replyMarkup = replyMarkup;
  stored.parseMode = parseMode;
  stored.editCount += 1;
  stored.message = { ...serialize(stored), edit_date: unixTimeNow() };
  return stored.message;
};

const editMessageReplyMarkup: MethodHandler = (world, { params }) => {
  const { stored } = messageToEdit(world, params);
  const replyMarkup = validKeyboard(params);
  if (JSON.stringify(replyMarkup) === JSON.stringify(stored.replyMarkup)) throw badRequest(notModified);
  stored.replyMarkup = replyMarkup;
  stored.message = { ...serialize(stored), edit_date: unixTimeNow() };
  return stored.message;
};

const deleteMessage: MethodHandler = (world, { params }) => {
  const chatId = requireChatId(world, params);
  const messageId = numberParam(params, "message_id");
  if (messageId === undefined || !world.chats.remove(chatId, messageId)) throw badRequest("message to delete not found");
  return true;
};

const sendMessageDraft: MethodHandler = (world, { params }) => {
  if (!world.supportsDrafts) throw new BotApiError(404, "Not Found");
  const chatId = requireChatId(world, params);
  if (world.chats.chat(chatId).type !== "private") throw badRequest("method is available only for private chats");
  const draftId = numberParam(params, "draft_id");
  if (draftId === undefined || draftId === 0) throw badRequest("draft_id must be non-zero");
  const rendered = renderMessageText(params["text"], stringParam(params, "parse_mode"), { allowEmpty: true });
  world.chats.addDraft(chatId, {
    draftId,
    text: rendered.text,
    messageThreadId: numberParam(params, "message_thread_id"),
    at: performance.timeOrigin + performance.now(),
  });
  return true;
};

const sendChatAction: MethodHandler = (world, { params }) => {
  const chatId = requireChatId(world, params);
  validThreadId(world, chatId, params);
  const action = stringParam(params, "action");
  if (action === undefined || !chatActions.has(action)) throw badRequest("wrong parameter action in request");
  return true;
};

export const messageMethods: Readonly<Record<string, MethodHandler>> = {
  sendMessage,
  editMessageText,
  editMessageReplyMarkup,
  deleteMessage,
  sendMessageDraft,
  sendChatAction,
};
