import { setTimeout as sleep } from "node:timers/promises";
import type { FakeTelegram, RecordedCall as TelegramCall } from "../../fakes/fake-telegram/index.js";
import { freshUserId } from "../../adapters/telegram/telegram-end-to-end.js";
import { sleepUntil, watchUntil, type BurstTiming } from "./burst-timing.js";
import type { BurstRun } from "./in-process-burst.js";
import { streamingIndicator } from "../../../src/core/presentation/present-reply.js";
import { newMessageRecord, queueNoticeOpening, queueNoticePattern, type MessageRecord } from "./message-outcome.js";
import type { BurstMessage } from "./workload.js";

/** Where a message of the burst went in the fake Telegram. */
interface PostedMessage {
  readonly record: MessageRecord;
  readonly chatId: number;
  readonly telegramMessageId: number;
}

const leadMs = 200;
const pollMs = 100;

/**
 * Offers the burst through the real Telegram adapter: each message is pushed into its user's
 * private chat of the fake Bot API at its scheduled moment, and what each chat finally shows is
 * read back from the fake: the bot's visible messages that reply to it, complete when the last
 * sendMessage or edit that made them arrived. A queue notice is a message that replies to its
 * question until the answer is edited into it, or a draft that showed one.
 * `onPosted` lets the caller map a Telegram message to its arrival time.
 */
export async function runTelegramBurst(
  telegram: FakeTelegram,
  messages: readonly BurstMessage[],
  timing: BurstTiming,
  stop: () => void,
  onPosted: (chatId: number, telegramMessageId: number, arrivedAt: number) => void = () => undefined,
): Promise<BurstRun> {
  const startedAt = Date.now() + leadMs;
  const userIds = new Map<number, number>();
  const posted: (PostedMessage | undefined)[] = messages.map(() => undefined);
  const arrivals = messages.map(async (message) => {
    await sleepUntil(startedAt + message.arrivalMs);
    let userId = userIds.get(message.chat);
    if (userId === undefined) {
      userId = freshUserId();
      userIds.set(message.chat, userId);
    }
    const arrivedAt = Date.now();
    const sent = telegram.pushPrivateMessage({ text: message.text, from: { id: userId, first_name: `User ${message.chat}` } });
    onPosted(sent.chat.id, sent.message_id, arrivedAt);
    posted[message.index] = { record: newMessageRecord(message, arrivedAt), chatId: sent.chat.id, telegramMessageId: sent.message_id };
  });

  const everyReplyShown = (async () => {
    await Promise.all(arrivals);
    while (!posted.every((item) => item !== undefined && showsFinalReply(telegram, item))) await sleep(pollMs);
  })();
  const lastDeadline = startedAt + Math.max(...messages.map((message) => message.arrivalMs)) + timing.deadlineMs;
  await watchUntil(everyReplyShown, lastDeadline + timing.lateGraceMs, stop);

  for (const item of posted) if (item !== undefined) readFinal(telegram, item);
  attributeNotices(telegram, posted.filter((item): item is PostedMessage => item !== undefined));
  return { startedAt, records: posted.map((item) => item?.record) };
}

function replyMessages(telegram: FakeTelegram, item: PostedMessage) {
  return telegram.messagesIn(item.chatId).filter((message) => message.replyToMessageId === item.telegramMessageId);
}

function repliesTo(call: TelegramCall, item: PostedMessage): boolean {
  const parameters = call.params["reply_parameters"];
  const replyParameters = typeof parameters === "string" ? (JSON.parse(parameters) as { message_id?: unknown }) : (parameters as { message_id?: unknown } | undefined);
  return Number(call.params["chat_id"]) === item.chatId && Number(replyParameters?.message_id) === item.telegramMessageId && call.response?.ok === true;
}

/**
 * Whether the chat shows the message's final reply: neither the queue notice that stands until
 * the answer replaces it, nor an answer still under way (the streaming indicator on its last part).
 */
function showsFinalReply(telegram: FakeTelegram, item: PostedMessage): boolean {
  const shown = replyMessages(telegram, item);
  return shown.length > 0 && shown.every((message) => !queueNoticePattern.test(message.text) && !message.text.includes(streamingIndicator));
}

/** The reply as the chat shows it, complete when the last send or edit of its messages arrived. */
function readFinal(telegram: FakeTelegram, item: PostedMessage): void {
  if (!showsFinalReply(telegram, item)) return;
  const shown = replyMessages(telegram, item);
  const shownIds = new Set(shown.map((message) => message.messageId));
  const edits = (call: TelegramCall): boolean => call.method === "editMessageText" && call.response?.ok === true && Number(call.params["chat_id"]) === item.chatId && shownIds.has(Number(call.params["message_id"]));
  const shaping = telegram.calls.filter((call) => (call.method === "sendMessage" && repliesTo(call, item)) || edits(call));
  item.record.final = {
    text: shown.map((message) => message.text).join("\n"),
    kind: undefined,
    failure: undefined,
    at: Math.max(...shaping.map((call) => call.receivedAt)),
  };
  item.record.extraFinals = shown.length - 1;
}

/**
 * A chat's messages are answered one after another, so a draft belongs to the first of the
 * chat's messages that had arrived and was not yet finally answered when the draft was sent.
 */
function attributeNotices(telegram: FakeTelegram, posted: readonly PostedMessage[]): void {
  // A notice sent as a message replies to its own question.
  for (const item of posted) {
    const notice = telegram.calls.find((call) => call.method === "sendMessage" && repliesTo(call, item) && queueNoticePattern.test(String(call.params["text"] ?? "")));
    if (notice === undefined) continue;
    item.record.queueNoticeShown = true;
    item.record.noticeAt = notice.receivedAt;
  }
  const chats = new Map<number, PostedMessage[]>();
  for (const item of posted) chats.set(item.chatId, [...(chats.get(item.chatId) ?? []), item]);
  for (const [chatId, items] of chats) {
    items.sort((first, second) => first.record.arrivedAt - second.record.arrivedAt);
    for (const draft of telegram.draftsIn(chatId)) {
      const owner = items.find((item) => item.record.arrivedAt <= draft.at && (item.record.final === undefined || item.record.final.at >= draft.at));
      if (owner === undefined) continue;
      if (draft.text.startsWith(queueNoticeOpening) && !owner.record.queueNoticeShown) {
        owner.record.queueNoticeShown = true;
        owner.record.noticeAt = draft.at;
      } else if (draft.text.includes(`Answer to ${owner.record.message.tag}`)) {
        owner.record.firstTextAt ??= draft.at;
      }
    }
  }
}
