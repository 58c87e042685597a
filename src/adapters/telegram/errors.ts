import { GrammyError, type BotError, type Context, type Transformer } from "grammy";
import { wordingFor, wordingOf } from "../../core/language/wording.js";
import type { Logger } from "../../core/ports/logger.js";
import type { DraftRefusal } from "./draft-support.js";
import { localeOf } from "./to-chat-request.js";

/**
 * The core turns every failure of its own into a final reply. What reaches this handler failed
 * in the adapter or on Telegram's side (a download, a send that Telegram kept refusing): the user
 * still gets a short apology that says what to try, and polling goes on.
 */
export const apologyText = wordingFor("en").say("telegram.apology");

export function createErrorHandler(logger: Logger): (error: BotError<Context>) => Promise<void> {
  return (error) => reportFailure(error.ctx, error.error, logger);
}

/** Logs a failure to handle an update and apologizes in its chat; never throws. */
export async function reportFailure(context: Context, cause: unknown, logger: Logger): Promise<void> {
  logger.error(
    {
      updateId: context.update.update_id,
      chatId: context.chat?.id,
      error: cause instanceof Error ? { name: cause.name, message: cause.message, stack: cause.stack } : String(cause),
    },
    "Failed to handle a Telegram update",
  );
  try {
    await apologize(context);
  } catch (apologyError) {
    // Never rethrow: a handler that throws here would stop the runner.
    logger.warn({ updateId: context.update.update_id, error: String(apologyError) }, "Could not send the apology either");
  }
}

async function apologize(context: Context): Promise<void> {
  // A button tap: the query may already be answered, so the apology also goes into the chat.
  if (context.callbackQuery !== undefined) await context.answerCallbackQuery().catch(() => undefined);
  const message = context.message ?? context.callbackQuery?.message;
  if (message === undefined) return;
  await context.api.sendMessage(message.chat.id, wordingOf(localeOf(context.from)).say("telegram.apology"), {
    ...(message.is_topic_message === true && message.message_thread_id !== undefined ? { message_thread_id: message.message_thread_id } : {}),
    reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
  });
}

/**
 * The runner retries a failed getUpdates by itself (its own logging is silenced, as it writes to
 * the console); this leaves one warning per failure in the JSON log. A stop aborts the pending
 * poll: that is no failure.
 */
export function logPollingFailures(logger: Logger): Transformer {
  return async (previous, method, payload, signal) => {
    try {
      const response = await previous(method, payload, signal);
      if (method === "getUpdates" && !response.ok) {
        logger.warn({ errorCode: response.error_code, description: response.description }, "getUpdates failed; retrying");
      }
      return response;
    } catch (error) {
      if (method === "getUpdates" && signal?.aborted !== true) logger.warn({ error: String(error) }, "getUpdates failed; retrying");
      throw error;
    }
  };
}

/** Telegram's error descriptions are its only error codes: these are the ones the adapter handles. */
function describes(error: unknown, pattern: RegExp): error is GrammyError {
  return error instanceof GrammyError && pattern.test(error.description);
}

/** The HTML could not be parsed (or came out too long): the same text goes again, plain. */
export function needsPlainText(error: unknown): boolean {
  return describes(error, /can't parse entities|message is too long/i);
}

/** An edit that changes nothing: harmless, as the text shown is already right. */
export function isNotModified(error: unknown): boolean {
  return describes(error, /message is not modified/i);
}

/**
 * A refused sendMessageDraft: a Bot API server without the method (404), or a bot or chat it is
 * not offered to (400, other than a parse error). Undefined for any other failure.
 */
export function draftRefusalOf(error: unknown): DraftRefusal | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  if (error.error_code === 404) return "server";
  return error.error_code === 400 && !needsPlainText(error) ? "chat" : undefined;
}
