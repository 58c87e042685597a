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
import { ChoiceKeyboards } from "./choice-keyboard.js";
import { registerCommandMenu } from "./commands.js";
import { createErrorHandler, logPollingFailures } from "./errors.js";
import { createFileDownloader } from "./file-download.js";
import { installFloodControl } from "./flood-control.js";
import { collectMediaGroups } from "./media-groups.js";
import { receiveButton } from "./receive-button.js";
import { receiveMessage, type TelegramContext } from "./receive-message.js";
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

/** Updates of one chat are handled one at a time, in order; different chats run concurrently. */
function chatOf(context: Context): string | undefined {
  return context.chat === undefined ? undefined : String(context.chat.id);
}

/**
 * A chat's queue, except for `/cancel` (typed, or its button): it must reach the core while the
 * reading it stops still holds the chat's queue, so it waits for nothing.
 */
function queueOf(keyboards: ChoiceKeyboards): (context: Context) => string | undefined {
  const isCancel = (commandLine: string | undefined): boolean => commandLine !== undefined && parseCommandLine(commandLine)?.name === "cancel";
  return (context) => {
    const data = context.callbackQuery?.data;
    if (isCancel(context.message?.text) || (data !== undefined && isCancel(keyboards.choiceOf(data)?.command))) return undefined;
    return chatOf(context);
  };
}

/** grammY types its signals with the abort-controller shim's AbortSignal; Node's is the same at run time. */
type GrammySignal = Parameters<Bot["init"]>[0];

function timeoutSignal(milliseconds: number): GrammySignal {
  return AbortSignal.timeout(milliseconds) as unknown as GrammySignal;
}

/**
 * Mami on Telegram (grammY): long polling by default, or a webhook. Every update goes through
 * flood control, album collection and a per-chat queue, then to `receiveMessage` or
 * `receiveButton`, which hand the core a request and a reply surface.
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
    draftSupport: { available: true, nextDraftId: 1 + Math.floor(Math.random() * 1_000_000_000) },
    inFlight,
    arrivals: new WeakMap(),
    clock,
    logger,
  };
  let lastStartedUpdateId: number | undefined;
  bot.use(async (context, next) => {
    // Taken updates are confirmed at stop; once stopping, new ones are left for the next process.
    if (!inFlight.accepting) return;
    lastStartedUpdateId = Math.max(lastStartedUpdateId ?? 0, context.update.update_id);
    telegram.arrivals.set(context, clock.now());
    const handling = next();
    inFlight.track(handling);
    await handling;
  });
  if (options.updateClaims !== undefined) bot.use(claimUpdates(options.updateClaims, logger));
  // Before sequentialize: an album's first item waits there for the others, which could never
  // arrive if it held the chat's queue meanwhile.
  bot.use(collectMediaGroups(clock, chatOf));
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
    await Promise.all([stopIntake(), inFlight.stop(graceMs)]);
    connected = false;
    logger.info({ username: identity.username }, "Telegram bot stopped");
  };

  if (options.webhook !== undefined) {
    const webhook = await startWebhookServer(bot, options.webhook, allowedUpdates, logger);
    if (options.updateClaims !== undefined) stopAdopting = adoptOrphanedUpdates(options.updateClaims, bot, logger);
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
    runner: { fetch: { timeout: 30, allowed_updates: allowedUpdates }, silent: true, retryInterval: "exponential" },
  });
  if (options.updateClaims !== undefined) stopAdopting = adoptOrphanedUpdates(options.updateClaims, bot, logger);
  logger.info({ username: identity.username, mode: "long polling" }, "Telegram bot started");
  return {
    platform: "telegram",
    botName: identity.username,
    isConnected: () => connected && runner.isRunning(),
    stop: (graceMs) =>
      finishStop(graceMs, async () => {
        // Resolves once every update being handled is done (the grace period bounds them).
        if (runner.isRunning()) await runner.stop();
        // The runner confirms a batch only with its next poll. Confirm the last one now, as
        // grammY's own bot.stop() does, or the next process would answer it a second time.
        if (lastStartedUpdateId !== undefined) {
          const confirmation = { offset: lastStartedUpdateId + 1, limit: 1, timeout: 0 };
          // Bounded: auto-retry would otherwise retry an unreachable server for ever and hold the shutdown.
          await bot.api.getUpdates(confirmation, timeoutSignal(5000)).catch((error: unknown) => {
            logger.warn({ error: String(error) }, "Could not confirm the last updates before stopping");
          });
        }
      }),
  };
}
