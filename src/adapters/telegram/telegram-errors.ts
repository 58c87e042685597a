import { GrammyError } from "grammy";

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

/** A Bot API server without sendMessageDraft, or a bot or chat it is not offered to. */
export function isDraftUnavailable(error: unknown): boolean {
  return error instanceof GrammyError && (error.error_code === 404 || (error.error_code === 400 && !needsPlainText(error)));
}
