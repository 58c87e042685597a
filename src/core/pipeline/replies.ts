import { untilNextUsageDay, type BudgetRefusal } from "../conversation/usage.js";
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
  search: "web searches",
  transcribe: "voice messages",
  safety: "the safety check",
  safety_vision: "the safety check of images",
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

/**
 * A request over the user's daily budget: spent for today (and when it resets), or held by the
 * user's messages being answered now.
 */
export function budgetRefusalReply(refusal: BudgetRefusal, limit: number, now: number): ErrorReply {
  if (refusal.refused === "held_by_others") {
    return {
      kind: "error",
      failure: "budget_spent",
      text: `Your messages I'm answering now will use the rest of your ${limit} tokens for today. Send this one again once they're answered.`,
      attempts: [],
    };
  }
  const retryAfterMs = untilNextUsageDay(now);
  return {
    kind: "error",
    failure: "budget_spent",
    text: `You have used your ${limit} tokens for today, so others get their share too. Your budget resets in about ${describeWait(retryAfterMs)}.`,
    retryAfterMs,
    attempts: [],
  };
}

/** Opens an answer that an ordinary model gave to a question that needed a web search. */
export function searchUnavailableNote(): string {
  return "_I couldn't search the web right now, so this answer is from what I already know and may be out of date._\n\n";
}

/** Opens an ordinary model's answer once the user's web searches for the day are spent. */
export function searchShareSpentNote(dailyShare: number): string {
  return `_You've used your ${dailyShare} web searches for today, so this answer is from what I already know and may be out of date._\n\n`;
}

/** What an answer cut off by a restart says: nothing was lost but the answer, and the user can ask again. */
export const stoppedReply: ErrorReply = {
  kind: "error",
  failure: "stopped",
  text: "I'm restarting and had to stop this answer. Please send your message again in a minute.",
  attempts: [],
};

/** Every model tried was too small for the request (skipped as too large, or answered 413 or too long). */
export function isTooLargeEverywhere(attempts: readonly AttemptRecord[]): boolean {
  const skipped = attempts.filter((attempt) => attempt.outcome === "skipped" || attempt.outcome === "request_too_large" || attempt.outcome === "context_too_long");
  return (
    skipped.length > 0 &&
    skipped.length === attempts.length &&
    skipped.every((attempt) => attempt.outcome !== "skipped" || /too long|larger than|does not accept/.test(attempt.reason ?? ""))
  );
}

/** A message no model can take: too long, with its files and history. */
export function tooLargeReply(attempts: readonly AttemptRecord[]): ErrorReply {
  return {
    kind: "error",
    failure: "no_model_available",
    text: "Your message (with its files and our recent history) is too large for the models I can use right now. Shorten it, send a smaller file, or /reset to drop the history.",
    attempts,
  };
}

/** Turns any failure into one short reply that says what happened and what to do. */
export function errorReply(error: unknown, attempts: readonly AttemptRecord[]): ErrorReply {
  if (error instanceof BadInputError) return { kind: "error", failure: "bad_input", text: error.message, attempts };
  if (error instanceof NoModelAvailableError) {
    const all = [...attempts, ...error.attempts];
    const what = roleDescriptions[error.role] ?? error.role;
    if (error.retryAfterMs === undefined && isTooLargeEverywhere(error.attempts)) return tooLargeReply(all);
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
