import type { Bot, BotError, Context, NextFunction } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "../../core/ports/logger.js";
import type { UpdateClaims } from "../../core/ports/update-claims.js";

const platform = "telegram";
/** How often a process looks for updates whose claimer died before answering them. */
const orphanLookIntervalMs = 2_000;

/**
 * Each update answered once, whichever process receives it: several webhook workers behind one
 * URL may all get the same update, and a process restarted in polling mode gets again what it
 * had not confirmed. The first process to claim an update answers it; the others drop it. The
 * claim is finished once the update's answer has ended, so a claim left open belongs to a
 * process that died mid-answer, and `adoptOrphans` has another answer it.
 *
 * Without the store (Redis away), every process answers what it receives: an update answered
 * twice is better than one never answered.
 */
export function claimUpdates(
  claims: UpdateClaims,
  logger: Logger,
  /** The update's answer, when it goes on after the handler returned: the claim stays open until it ends. */
  answerOf: (context: Context) => Promise<unknown> | undefined,
): (context: Context, next: NextFunction) => Promise<void> {
  let storeAway = false;
  return async (context, next) => {
    const updateId = String(context.update.update_id);
    let claimed = true;
    try {
      claimed = await claims.claim(platform, updateId, JSON.stringify(context.update));
      if (storeAway) logger.info({}, "update claims answer again: each update is answered by one process again");
      storeAway = false;
    } catch (error) {
      if (!storeAway) logger.warn({ error: String(error) }, "cannot claim updates in the store (STORE_URL): answering every update received until it answers again");
      storeAway = true;
    }
    if (!claimed) {
      logger.debug({ updateId }, "update claimed by another process; not answered here");
      return;
    }
    const finish = (): Promise<void> => claims.finish(platform, updateId).catch((error: unknown) => logger.debug({ updateId, error: String(error) }, "could not mark an update answered"));
    try {
      await next();
    } catch (error) {
      await finish();
      throw error;
    }
    // The handler returns once the core has the request; the answer goes on, and a process that
    // dies before it ends must leave the claim open for another to adopt. Not awaited: the
    // update's slot in the runner is free already.
    const answering = answerOf(context);
    if (answering === undefined) await finish();
    else void answering.finally(finish);
  };
}

/**
 * Looks for updates claimed by a process that died before answering them, at start and every
 * two seconds, and answers them here through the bot's own middleware (the claim is this
 * process's now, so it passes). Returns a stop function.
 */
export function adoptOrphanedUpdates(
  claims: UpdateClaims,
  bot: Bot,
  logger: Logger,
  /** Called before an adopted update goes through the middleware, which drops repeats it has seen. */
  beforeAdopting: (updateId: number) => void,
): () => void {
  let looking = false;
  const look = async (): Promise<void> => {
    if (looking) return;
    looking = true;
    try {
      for (const orphan of await claims.adoptOrphans(platform)) {
        logger.info({ updateId: orphan.updateId }, "answering an update whose process stopped before answering it");
        const update = JSON.parse(orphan.payload) as Update;
        beforeAdopting(update.update_id);
        void bot.handleUpdate(update).catch((error: unknown) => bot.errorHandler(error as BotError<Context>));
      }
    } catch (error) {
      logger.debug({ error: String(error) }, "could not look for orphaned updates");
    } finally {
      looking = false;
    }
  };
  void look();
  const timer = setInterval(() => void look(), orphanLookIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
