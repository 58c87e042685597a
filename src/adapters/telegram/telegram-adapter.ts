import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { Bot, type Context } from "grammy";
import { parseCommandLine } from "../../../commands/index.js";
import type { Mami } from "../../core/mami.js";
import { RequestsInFlight, type PlatformAdapter } from "../../core/platform-adapter.js";
import { systemClock, type Clock } from "../../core/ports/clock.js";
import type { Logger } from "../../core/ports/logger.js";
import type { UpdateClaims } from "../../core/ports/update-claims.js";
import type { BotIdentity } from "./addressing.js";
import { adoptOrphanedUpdates, claimUpdates } from "./claimed-updates.js";
import { ChatAdministrators } from "./chat-administrators.js";
import { ChoiceKeyboards } from "./choice-keyboard.js";
import { registerCommandMenu } from "./commands.js";
import { createErrorHandler, logPollingFailures } from "./errors.js";
import { DraftSupport } from "./draft-support.js";
import { createFileDownloader } from "./file-download.js";
import { installFloodControl } from "./flood-control.js";
import { collectMediaGroups } from "./media-groups.js";
import { receiveButton } from "./receive-button.js";
import { receiveMessage } from "./receive-message.js";
import { RecentUpdates } from "./recent-updates.js";
import type { TelegramContext } from "./telegram-context.js";
import { timeoutSignal } from "./timeout-signal.js";
import { startWebhookServer, type WebhookSettings } from "./webhook-server.js";

export interface TelegramAdapterOptions {
  readonly token: string;
  /** The Bot API root, e.g. https://api.telegram.org, a local Bot API server, or a fake. */
  readonly apiRoot: string;
  readonly mami: Mami;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Receive updates by webhook instead of long polling (the default). */
  readonly webhook?: WebhookSettings;
  /** With a store shared by several processes: each update is answered by the one that claims it (claimed-updates.ts). */
  readonly updateClaims?: UpdateClaims;
}

const allowedUpdates = ["message", "callback_query"] as const;

/**
 * Updates being taken in at once (the runner's slots). Taking an update in is short: collecting
 * an album, asking Telegram whether a group command's author is an admin, handing the request to
 * the core. Answering it holds no slot; the core's gate bounds the answers.
 */
const updatesTakenInAtOnce = 100;

/** How long a stop waits for Telegram to confirm the updates taken, so that no other process gets them again. */
const confirmationTimeoutMs = 5_000;

/** Updates of one chat are taken in one at a time, in order; different chats run concurrently. */
function chatOf(context: Context): string | undefined {
  return context.chat === undefined ? undefined : String(context.chat.id);
}

/**
 * A chat's intake queue, except for `/cancel` (typed, or its button): it stops a reading, so it
 * waits behind nothing, not even a message whose files are still being downloaded. The core lets
 * it past its gate too.
 */
function queueOf(keyboards: ChoiceKeyboards): (context: Context) => string | undefined {
  const isCancel = (commandLine: string | undefined): boolean => commandLine !== undefined && parseCommandLine(commandLine)?.name === "cancel";
  return (context) => {
    const data = context.callbackQuery?.data;
    if (isCancel(context.message?.text) || (data !== undefined && isCancel(keyboards.choiceOf(data)?.command))) return undefined;
    return chatOf(context);
  };
}

/**
 * Mami on Telegram (grammY): long polling by default, or a webhook. Every update goes through
 * flood control, album collection and a per-chat intake queue, then to `receiveMessage` or
 * `receiveButton`, which hand the core a request and a reply surface and return: the answer
 * goes on in the background, in the order the core's gate keeps per conversation and per user.
 */
export async function startTelegramAdapter(options: TelegramAdapterOptions): Promise<PlatformAdapter> {
  const logger = options.logger.child({ platform: "telegram" });
  const clock = options.clock ?? systemClock;
  // grammY joins apiRoot and the path itself: a trailing slash would double it.
  const apiRoot = options.apiRoot.replace(/\/+$/, "");
  const bot = new Bot(options.token, { client: { apiRoot } });
  // Innermost, so that every failed poll is logged, including those auto-retry repeats.
  bot.api.config.use(logPollingFailures(logger));
  installFloodControl(bot.api, logger);
  // Bounded: with auto-retry installed, an unreachable Bot API would otherwise be retried for ever.
  await bot.init(timeoutSignal(30_000));
  const identity: BotIdentity = { id: bot.botInfo.id, username: bot.botInfo.username };

  const inFlight = new RequestsInFlight(clock);
  const telegram: TelegramContext = {
    mami: options.mami,
    api: bot.api,
    bot: identity,
    download: createFileDownloader(bot.api, apiRoot, options.token),
    keyboards: new ChoiceKeyboards(),
    // Draft ids only need to differ between the drafts of one chat; a random start keeps a
    // restarted bot from animating an old draft into a new one.
    draftSupport: new DraftSupport(1 + Math.floor(Math.random() * 1_000_000_000)),
    administrators: new ChatAdministrators(bot.api, clock),
    inFlight,
    arrivals: new WeakMap(),
    answers: new WeakMap(),
    clock,
    logger,
  };
  const recentUpdates = new RecentUpdates();
  let lastTakenUpdateId: number | undefined;
  bot.use(async (context, next) => {
    // Taken updates are confirmed at stop; once stopping, new ones are left for the next process.
    if (!inFlight.accepting) return;
    if (!recentUpdates.takeFirst(context.update.update_id)) {
      logger.debug({ updateId: context.update.update_id }, "Telegram delivered an update again; it was taken already");
      return;
    }
    lastTakenUpdateId = Math.max(lastTakenUpdateId ?? 0, context.update.update_id);
    telegram.arrivals.set(context, clock.now());
    const intake = next();
    inFlight.track(intake);
    await intake;
  });
  if (options.updateClaims !== undefined) bot.use(claimUpdates(options.updateClaims, logger, (context) => telegram.answers.get(context)));
  // Before sequentialize: an album's first item waits there for the others, which could never
  // arrive if it held the chat's queue meanwhile.
  bot.use(collectMediaGroups(clock, chatOf));
  // Only the intake is in order per chat: the handlers return once the core has the request.
  bot.use(sequentialize(queueOf(telegram.keyboards)));
  bot.on("message", receiveMessage(telegram));
  bot.on("callback_query:data", receiveButton(telegram));
  bot.catch(createErrorHandler(logger));

  try {
    await registerCommandMenu(bot.api);
  } catch (error) {
    // The menu is a convenience; typed commands work without it.
    logger.warn({ error: String(error) }, "Could not register the Telegram command menu");
  }

  let connected = true;
  let stopAdopting = (): void => undefined;
  const finishStop = async (graceMs: number, stopIntake: () => Promise<void>): Promise<void> => {
    stopAdopting();
    const [, unfinished] = await Promise.all([stopIntake(), inFlight.stop(graceMs)]);
    connected = false;
    logger.info({ username: identity.username, unfinished }, "Telegram bot stopped");
  };

  if (options.webhook !== undefined) {
    const webhook = await startWebhookServer(bot, options.webhook, allowedUpdates, logger);
    if (options.updateClaims !== undefined) stopAdopting = adoptOrphanedUpdates(options.updateClaims, bot, logger, (updateId) => recentUpdates.forget(updateId));
    logger.info({ username: identity.username, mode: "webhook" }, "Telegram bot started");
    return {
      platform: "telegram",
      botName: identity.username,
      isConnected: () => connected,
      stop: (graceMs) => finishStop(graceMs, () => webhook.stop()),
    };
  }

  // Long polling and a webhook exclude each other: clear one left by an earlier deployment.
  await bot.api.deleteWebhook();
  const runner: RunnerHandle = run(bot, {
    // Failed polls are retried 100 ms later, then 100 ms later each time more: a long outage
    // does not leave the bot waiting for hours after Telegram is back, as doubling would.
    runner: { fetch: { timeout: 30, allowed_updates: allowedUpdates }, silent: true, retryInterval: "quadratic" },
    sink: { concurrency: updatesTakenInAtOnce },
  });
  if (options.updateClaims !== undefined) stopAdopting = adoptOrphanedUpdates(options.updateClaims, bot, logger, (updateId) => recentUpdates.forget(updateId));
  logger.info({ username: identity.username, mode: "long polling" }, "Telegram bot started");
  return {
    platform: "telegram",
    botName: identity.username,
    isConnected: () => connected && runner.isRunning(),
    stop: (graceMs) =>
      finishStop(graceMs, async () => {
        // Stops polling at once; resolves once the batch in hand is taken in (answers hold no slot).
        if (runner.isRunning()) await runner.stop();
        // The runner confirms a batch only with its next poll. Confirm the last one now, as
        // grammY's own bot.stop() does, or the next process would answer it a second time. This
        // does not wait for the answers: it happens whether or not they finish within the grace.
        if (lastTakenUpdateId !== undefined) {
          const confirmation = { offset: lastTakenUpdateId + 1, limit: 1, timeout: 0 };
          await bot.api.getUpdates(confirmation, timeoutSignal(confirmationTimeoutMs)).catch((error: unknown) => {
            logger.warn({ error: String(error) }, "Could not confirm the last updates before stopping");
          });
        }
      }),
  };
}
