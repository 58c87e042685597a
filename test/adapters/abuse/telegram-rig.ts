/**
 * The abuse suite's Telegram: the real grammY bot polling the fake Bot API, the real core with
 * an allow-list, slow-streaming models and the scripted answers; and a second bot taking its
 * updates by webhook, for forged posts.
 */
import { startTelegramAdapter } from "../../../src/adapters/telegram/index.js";
import type { PlatformAdapter } from "../../../src/core/platform-adapter.js";
import { startFakeTelegram, type FakeTelegram, type VisibleBotMessage } from "../../fakes/fake-telegram/index.js";
import { eventually } from "../../support/eventually.js";
import { startMamiHarness, type MamiHarness } from "../../support/mami-harness.js";
import { recordingLogger, startTelegramEndToEnd, type LogRecord, type TelegramEndToEnd } from "../telegram/telegram-end-to-end.js";
import { ordinaryAnswer, ordinaryQuestion, scriptedAnswer } from "./scripted-model.js";
import { freePort } from "./free-port.js";
import { roomySlowModels } from "./roomy-models.js";

/** Where a user writes: their private chat, or a group (the bot is then mentioned). */
export interface TelegramPlace {
  readonly chatId: number;
  readonly userId: number;
}

export interface TelegramAbuseRig {
  readonly rig: TelegramEndToEnd;
  readonly telegram: FakeTelegram;
  readonly harness: MamiHarness;
  readonly logs: LogRecord[];
  /** A user on the allow-list, new to the bot, in their private chat. */
  newUser(): TelegramPlace;
  /** A new group, and an allowed user in it. */
  newGroup(): TelegramPlace;
  /** Someone on no allow-list. */
  stranger(): TelegramPlace;
  /** The bot's messages in a chat that reply to the given user message. */
  repliesTo(chatId: number, messageId: number): VisibleBotMessage[];
  /** Waits for the first bot message replying to `messageId` whose text passes `matches`. */
  waitForReply(chatId: number, messageId: number, matches: (text: string) => boolean, what: string, timeoutMs?: number): Promise<VisibleBotMessage>;
  /** Sends an ordinary question from this place and waits for its answer. */
  expectAnswered(place: TelegramPlace): Promise<void>;
  close(): Promise<void>;
}

let nextTag = 0;
/** A tag no other message of the run carries. */
export function freshTag(prefix: string): string {
  nextTag += 1;
  return `${prefix}-${nextTag}`;
}

/** Users the allow-list names; ids are spread so that parallel test files never share one. */
const allowedUserCount = 400;

/**
 * The abuse suite's bot gives answers under way one second at the end: the flood cases leave
 * hundreds of "one at a time" replies waiting for Telegram's once-a-second limit.
 */
const closingGraceMs = 1_000;

export async function startTelegramAbuseRig(): Promise<TelegramAbuseRig> {
  const firstUserId = 8_000_000 + Math.floor(Math.random() * 900) * 1_000;
  const allowed = Array.from({ length: allowedUserCount }, (_, index) => firstUserId + index);
  let nextUser = 0;
  let nextGroup = 0;
  let nextStranger = 0;
  const rig = await startTelegramEndToEnd({
    harness: { env: { ALLOWED_USERS: allowed.map((id) => `tg:${id}`).join(",") }, models: roomySlowModels(15) },
  });
  rig.harness.groq.setResponder(scriptedAnswer);
  const newUserId = (): number => {
    const id = allowed[nextUser];
    nextUser += 1;
    if (id === undefined) throw new Error("The abuse suite ran out of allowed Telegram users.");
    return id;
  };
  const repliesTo = (chatId: number, messageId: number): VisibleBotMessage[] => rig.telegram.messagesIn(chatId).filter((message) => message.replyToMessageId === messageId);
  const waitForReply: TelegramAbuseRig["waitForReply"] = (chatId, messageId, matches, what, timeoutMs = 15_000) =>
    eventually(
      () => repliesTo(chatId, messageId).find((message) => matches(message.text)),
      () => `${what} in chat ${chatId}; the bot's replies there: ${JSON.stringify(rig.telegram.messagesIn(chatId).map((message) => message.text.slice(0, 120)))}`,
      timeoutMs,
    );
  return {
    rig,
    telegram: rig.telegram,
    harness: rig.harness,
    logs: rig.logs,
    newUser() {
      const userId = newUserId();
      return { chatId: userId, userId };
    },
    newGroup() {
      nextGroup += 1;
      return { chatId: -1_009_000_000_000 - firstUserId - nextGroup, userId: newUserId() };
    },
    stranger() {
      nextStranger += 1;
      const id = 6_000_000 + firstUserId / 1_000 + nextStranger;
      return { chatId: id, userId: id };
    },
    repliesTo,
    waitForReply,
    async expectAnswered(place) {
      const tag = freshTag("sentinel");
      const inGroup = place.chatId < 0;
      const sent = inGroup
        ? rig.telegram.pushGroupMessage({ chatId: place.chatId, from: { id: place.userId }, mention: true, text: ordinaryQuestion(tag) })
        : rig.telegram.pushPrivateMessage({ chatId: place.chatId, from: { id: place.userId }, text: ordinaryQuestion(tag) });
      await waitForReply(place.chatId, sent.message_id, (text) => text === ordinaryAnswer(tag), `the answer to the ordinary message #${tag}`, 30_000);
    },
    async close() {
      await rig.bot.stop(closingGraceMs);
      await rig.harness.close();
      await rig.telegram.close();
    },
  };
}

export interface TelegramWebhookRig {
  readonly telegram: FakeTelegram;
  readonly harness: MamiHarness;
  readonly bot: PlatformAdapter;
  readonly port: number;
  readonly path: string;
  readonly secret: string;
  /** A genuine user's ordinary message, delivered by the fake Telegram to the webhook, is answered. */
  expectAnswered(): Promise<void>;
  close(): Promise<void>;
}

/** A bot taking its updates by webhook on a local port, with a known secret. */
export async function startTelegramWebhookRig(): Promise<TelegramWebhookRig> {
  const telegram = await startFakeTelegram();
  const harness = await startMamiHarness();
  harness.groq.setResponder(scriptedAnswer);
  const port = await freePort();
  const path = "/telegram/updates";
  const secret = "abuse-suite-webhook-secret";
  const logs: LogRecord[] = [];
  const bot = await startTelegramAdapter({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    mami: harness.mami,
    logger: recordingLogger(logs),
    webhook: { url: `http://127.0.0.1:${port}${path}`, port, secretToken: secret },
  });
  return {
    telegram,
    harness,
    bot,
    port,
    path,
    secret,
    async expectAnswered() {
      const tag = freshTag("webhook-sentinel");
      const chatId = 7_700_000 + nextTag;
      const sent = telegram.pushPrivateMessage({ chatId, from: { id: chatId }, text: ordinaryQuestion(tag) });
      await eventually(
        () => telegram.messagesIn(chatId).find((message) => message.replyToMessageId === sent.message_id && message.text === ordinaryAnswer(tag)),
        `the webhook bot's answer to #${tag}`,
      );
    },
    async close() {
      await bot.stop(closingGraceMs);
      await harness.close();
      await telegram.close();
    },
  };
}
