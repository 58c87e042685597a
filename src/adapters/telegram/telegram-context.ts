import type { Api, Context } from "grammy";
import type { Mami } from "../../core/mami.js";
import type { RequestsInFlight } from "../../core/platform-adapter.js";
import type { Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import type { BotIdentity } from "./addressing.js";
import type { ChatAdministrators } from "./chat-administrators.js";
import type { ChoiceKeyboards } from "./choice-keyboard.js";
import type { DraftSupport } from "./draft-support.js";
import { reportFailure } from "./errors.js";
import type { FileDownloader } from "./file-download.js";

/** What the Telegram handlers share: the core, the bot's API and identity, and the adapter's bookkeeping. */
export interface TelegramContext {
  readonly mami: Mami;
  readonly api: Api;
  readonly bot: BotIdentity;
  readonly download: FileDownloader;
  readonly keyboards: ChoiceKeyboards;
  readonly draftSupport: DraftSupport;
  readonly administrators: ChatAdministrators;
  readonly inFlight: RequestsInFlight;
  /** When each update arrived, before it waited anywhere: its place in the quota queue. */
  readonly arrivals: WeakMap<Context, number>;
  /** Each update's answer going on in the background: its claim (claimed-updates.ts) ends with it. */
  readonly answers: WeakMap<Context, Promise<unknown>>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Lets the answer go on by itself once the core has taken the request: the update's slot in the
 * runner and its place in the chat's intake are free at once, so a chat whose user sent hundreds
 * of messages holds neither. The core's gate keeps each conversation's order from here on. A
 * failure still ends in the apology, and a stop still waits for the answer.
 */
export function answerInBackground(telegram: TelegramContext, context: Context, answering: Promise<unknown>): void {
  const answered = answering.catch((error: unknown) => reportFailure(context, error, telegram.logger));
  telegram.answers.set(context, answered);
  telegram.inFlight.track(answered);
}
