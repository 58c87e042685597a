import { BadInputError, ModelCallError, NoModelAvailableError, type AttemptRecord } from "../errors.js";
import type { Logger } from "../ports/logger.js";
import type { ErrorReply, FinalReply, RefusalReply } from "../reply.js";
import type { AnswerRole } from "../roles.js";
import type { ScreenResult } from "../safety/screen-content.js";

/** The pipeline's own words: errors, refusals, the queue notice, the footer. One place for all of them. */

const roleDescriptions: Readonly<Record<string, string>> = {
  chat: "chatting",
  logic: "math and reasoning",
  code: "code",
  vision: "images",
  long_context: "long documents",
  transcribe: "voice messages",
  safety: "the safety check",
};

export function describeWait(milliseconds: number): string {
  const seconds = Math.max(1, Math.ceil(milliseconds / 1000));
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}

/** Shown at once to a message that waits for quota; the answer replaces it when it comes. */
export function queuedNotice(waitMs: number): string {
  return `⏳ Busy right now: your message is in the queue, about ${describeWait(Math.max(waitMs, 1_000))}.`;
}

/** The last line of an answer when REPLY_FOOTER is on: which model and role answered. */
export function footer(model: string, role: AnswerRole): string {
  return `\n\n_${model} · ${role}_`;
}

export const emptyMessageReply: ErrorReply = {
  kind: "error",
  failure: "bad_input",
  text: "Your message looks empty. Write a question, or send an image, a file or a voice message with it.",
  attempts: [],
};

/** What an answer cut off by a restart says: nothing was lost but the answer, and the user can ask again. */
export const stoppedReply: ErrorReply = {
  kind: "error",
  failure: "stopped",
  text: "I'm restarting and had to stop this answer. Please send your message again in a minute.",
  attempts: [],
};

function tooLargeEverywhere(attempts: readonly AttemptRecord[]): boolean {
  const skipped = attempts.filter((attempt) => attempt.outcome === "skipped" || attempt.outcome === "request_too_large" || attempt.outcome === "context_too_long");
  return (
    skipped.length > 0 &&
    skipped.length === attempts.length &&
    skipped.every((attempt) => attempt.outcome !== "skipped" || /too long|larger than|does not accept/.test(attempt.reason ?? ""))
  );
}

/** Turns any failure into one short reply that says what happened and what to do. */
export function errorReply(error: unknown, attempts: readonly AttemptRecord[]): ErrorReply {
  if (error instanceof BadInputError) return { kind: "error", failure: "bad_input", text: error.message, attempts };
  if (error instanceof NoModelAvailableError) {
    const all = [...attempts, ...error.attempts];
    const what = roleDescriptions[error.role] ?? error.role;
    if (error.retryAfterMs === undefined && tooLargeEverywhere(error.attempts)) {
      return {
        kind: "error",
        failure: "no_model_available",
        text: "Your message (with its files and our recent history) is too large for the models I can use right now. Shorten it, send a smaller file, or /reset to drop the history.",
        attempts: all,
      };
    }
    if (error.retryAfterMs === undefined) {
      return { kind: "error", failure: "no_model_available", text: `No model for ${what} is available right now. Please try again later.`, attempts: all };
    }
    return {
      kind: "error",
      failure: "no_model_available",
      text: `Every model for ${what} is out of quota right now. Please try again in about ${describeWait(error.retryAfterMs)}.`,
      retryAfterMs: error.retryAfterMs,
      attempts: all,
    };
  }
  if (error instanceof ModelCallError && error.kind === "authentication") {
    return {
      kind: "error",
      failure: "internal",
      text: "Groq refused this bot's API key, so I can't answer. The bot's operator needs to check GROQ_API_KEY.",
      attempts,
    };
  }
  return {
    kind: "error",
    failure: "internal",
    text: "Something went wrong on my side while answering. Please try again; if it keeps happening, tell the bot's operator.",
    attempts,
  };
}

/**
 * What a screen's verdict means for the reply: a refusal naming the categories, the outage
 * policy's answer, or undefined to go on.
 */
export function replyForScreen(
  result: ScreenResult,
  subject: "input" | "answer",
  onOutage: "allow" | "block",
  attempts: readonly AttemptRecord[],
  log: Logger,
): FinalReply | undefined {
  if (result.outcome === "unsafe") {
    log.info({ categories: result.categories, subject }, "refused by the safety screen");
    const opening = subject === "input" ? "I can't help with that" : "I can't share that answer";
    const refusal: RefusalReply = { kind: "refusal", text: `${opening}: it falls under ${result.categories.join(", ")}.`, categories: result.categories, attempts };
    return refusal;
  }
  if (result.outcome !== "unavailable") return undefined;
  if (onOutage === "allow") {
    log.warn({ reason: result.reason, subject }, "safety screen unavailable; answering as SAFETY_ON_OUTAGE=allow");
    return undefined;
  }
  log.warn({ reason: result.reason, subject }, "safety screen unavailable; blocking as SAFETY_ON_OUTAGE=block");
  return {
    kind: "error",
    failure: "no_model_available",
    text: "I can't check messages for safety right now, so I'm not answering. Please try again in a minute.",
    attempts,
  };
}

/**
 * A user's message beyond those already waiting for an answer: refused at once, so that a flood
 * from one person neither waits in memory nor holds up anyone else.
 */
export const oneAtATimeReply: ErrorReply = {
  kind: "error",
  failure: "busy",
  text: "⏳ One at a time, please: I'm still answering your earlier messages. Wait for my answer, then send this one again.",
  attempts: [],
};
