import { startTelegramAdapter } from "../../../src/adapters/telegram/index.js";
import type { Mami } from "../../../src/core/mami.js";
import type { PlatformAdapter } from "../../../src/core/platform-adapter.js";
import type { FinalReply } from "../../../src/core/reply.js";
import { freeTierModels, type FakeModelSpec, type RecordedCall as GroqCall } from "../../fakes/fake-groq/index.js";
import { startFakeTelegram, type FakeTelegram, type FakeTelegramOptions } from "../../fakes/fake-telegram/index.js";
import { startMamiHarness, type MamiHarness, type MamiHarnessOptions } from "../../support/mami-harness.js";
import { eventually } from "../../support/eventually.js";
import { observeReplies } from "../../support/observed-core.js";
import { recordingLogger, type LoggedLine } from "../../support/recording-logger.js";

/**
 * One end-to-end rig: the real grammY bot (runner, plugins) talking HTTP to the fake Telegram,
 * the real core and store (the harness) talking HTTP to the fake Groq.
 */
export interface TelegramEndToEnd {
  readonly telegram: FakeTelegram;
  harness: MamiHarness;
  bot: PlatformAdapter;
  readonly logs: LogRecord[];
  /** Every final reply the core produced for the bot, in order (the real core, observed). */
  readonly finals: FinalReply[];
  /** Stops the bot (and, with `harness`, the core) and starts new ones on the same fakes; `graceMs` as SHUTDOWN_GRACE_SECONDS. */
  restart(options?: { readonly harness?: MamiHarnessOptions; readonly graceMs?: number }): Promise<void>;
  close(): Promise<void>;
}

export type LogRecord = LoggedLine;
export { recordingLogger };

/** The real core, with its final replies copied aside so tests can compare them with what Telegram shows. */
function observedCore(mami: Mami, finals: FinalReply[]): Mami {
  return observeReplies(mami, { onFinal: (_request, reply) => finals.push(reply) });
}

/** Free-tier models whose streams trickle, so that a reply is seen while it grows. */
export function slowStreamingModels(chunkDelayMs: number): FakeModelSpec[] {
  return freeTierModels.map((model) => ({ ...model, chunkDelayMs }));
}

/** As `mami start` gives answers under way at a stop, by default. */
const shutdownGraceMs = 10_000;

export interface TelegramEndToEndOptions {
  readonly harness?: MamiHarnessOptions;
  readonly telegram?: FakeTelegramOptions;
  /** Wraps the core the bot talks to, e.g. to time its replies. */
  readonly wrapCore?: (mami: Mami) => Mami;
}

export async function startTelegramEndToEnd(options: TelegramEndToEndOptions = {}): Promise<TelegramEndToEnd> {
  const telegram = await startFakeTelegram(options.telegram);
  const logs: LogRecord[] = [];
  const finals: FinalReply[] = [];
  const startBot = (harness: MamiHarness): Promise<PlatformAdapter> =>
    startTelegramAdapter({ token: telegram.token, apiRoot: telegram.apiRoot, mami: observedCore((options.wrapCore ?? ((mami) => mami))(harness.mami), finals), logger: recordingLogger(logs) });
  const harness = await startMamiHarness(options.harness);
  const bot = await startBot(harness);
  const rig: TelegramEndToEnd = {
    telegram,
    harness,
    bot,
    logs,
    finals,
    async restart(restartOptions) {
      await rig.bot.stop(restartOptions?.graceMs ?? shutdownGraceMs);
      if (restartOptions?.harness !== undefined) {
        await rig.harness.close();
        rig.harness = await startMamiHarness(restartOptions.harness);
      }
      rig.bot = await startBot(rig.harness);
    },
    async close() {
      await rig.bot.stop(shutdownGraceMs);
      await rig.harness.close();
      await telegram.close();
    },
  };
  return rig;
}

let lastId = 7_000_000 + Math.floor(Math.random() * 1_000) * 1_000;
/** A fresh user (and private chat) id, so that tests sharing a fake never see each other's chats. */
export function freshUserId(): number {
  lastId += 1;
  return lastId;
}

/** A fresh supergroup id (negative, -100…, as Telegram's are). */
export function freshGroupId(): number {
  lastId += 1;
  return -1_000_000_000_000 - lastId;
}

export async function waitUntil(condition: () => boolean, description: string, timeoutMs = 15_000): Promise<void> {
  await eventually(condition, description, timeoutMs);
}

/** The visible text of every bot message in a chat, in order. */
export function textsIn(telegram: FakeTelegram, chatId: number): string[] {
  return telegram.messagesIn(chatId).map((message) => message.text);
}

/** Waits until the chat shows a bot message with exactly this text; returns it. */
export async function waitForMessageText(telegram: FakeTelegram, chatId: number, text: string, timeoutMs = 15_000) {
  await waitUntil(() => textsIn(telegram, chatId).includes(text), `the message "${text.slice(0, 60)}" in chat ${chatId}`, timeoutMs);
  return telegram.messagesIn(chatId).find((message) => message.text === text)!;
}

export function callsFor(telegram: FakeTelegram, method: string, chatId: number) {
  return telegram.calls.filter((call) => call.method === method && Number(call.params["chat_id"]) === chatId);
}

/** Chat completions the fake Groq answered, in order. */
export function answeredChatCalls(groq: { readonly calls: readonly GroqCall[] }): GroqCall[] {
  return groq.calls.filter((call) => call.path.endsWith("/chat/completions") && call.status === 200);
}

export interface SentMessage {
  readonly role: string;
  readonly content: unknown;
}

export function messagesOf(call: GroqCall): SentMessage[] {
  return ((call.body as { messages?: SentMessage[] }).messages ?? []).map((message) => ({ role: message.role, content: message.content }));
}

/** Every text a Groq call carried, flattened (string content and text parts). */
export function textOf(call: GroqCall): string {
  return messagesOf(call)
    .map((message) =>
      typeof message.content === "string"
        ? message.content
        : (message.content as { type: string; text?: string }[]).map((part) => part.text ?? "").join("\n"),
    )
    .join("\n");
}

/** Chat calls that carried this text somewhere in their messages (answers, not router or safety calls). */
export function chatCallsMentioning(groq: { readonly calls: readonly GroqCall[] }, text: string): GroqCall[] {
  return answeredChatCalls(groq).filter((call) => textOf(call).includes(text));
}
