import { untilNextUsageDay, type BudgetRefusal } from "../conversation/usage.js";
import { BadInputError, ModelCallError, NoModelAvailableError, type AttemptRecord } from "../errors.js";
import type { MessageKey } from "../language/catalog.js";
import type { Wording } from "../language/wording.js";
import type { Logger } from "../ports/logger.js";
import type { ErrorReply, FinalReply, RefusalReply } from "../reply.js";
import { isAnswerRole, type AnswerRole } from "../roles.js";
import type { ScreenResult } from "../safety/screen-content.js";

/**
 * The pipeline's own words: errors, refusals, the queue notice, the footer. One place for all of
 * them; the texts themselves are in the language catalogs (core/language), in the user's language.
 */

/** What each role does, as "No model for {what}" names it. */
const roleDescriptionKeys = {
  chat: "role.chat",
  logic: "role.logic",
  code: "role.code",
  vision: "role.vision",
  long_context: "role.long_context",
  search: "role.search",
  transcribe: "role.transcribe",
  safety: "role.safety",
  safety_vision: "role.safety_vision",
} as const satisfies Readonly<Record<string, MessageKey>>;

function describeRole(role: string, words: Wording): string {
  return role in roleDescriptionKeys ? words.say(roleDescriptionKeys[role as keyof typeof roleDescriptionKeys]) : role;
}

/** Shown at once to a message that waits for quota; the answer replaces it when it comes. */
export function queuedNotice(waitMs: number, words: Wording): string {
  return words.say("queue.notice", { wait: words.wait(Math.max(waitMs, 1_000)) });
}

/** Shown under an answer cut at its budget while it waits for quota to go on; its next words replace it. */
export function continuingNotice(waitMs: number, words: Wording): string {
  return words.say("queue.continuing", { wait: words.wait(Math.max(waitMs, 1_000)) });
}

/** The last line of an answer when REPLY_FOOTER is on: which model and role answered. */
export function footer(model: string, role: AnswerRole): string {
  return `\n\n_${model} · ${role}_`;
}

/**
 * A request over the user's daily budget: spent for today (and when it resets), or held by the
 * user's messages being answered now.
 */
export function budgetRefusalReply(refusal: BudgetRefusal, limit: number, now: number, words: Wording): ErrorReply {
  if (refusal.refused === "held_by_others") {
    return { kind: "error", failure: "budget_spent", text: words.say("budget.heldByOthers", { limit }), attempts: [] };
  }
  const retryAfterMs = untilNextUsageDay(now);
  return {
    kind: "error",
    failure: "budget_spent",
    text: words.say("budget.spent", { limit, wait: words.wait(retryAfterMs) }),
    retryAfterMs,
    attempts: [],
  };
}

/** Opens an answer that an ordinary model gave to a question that needed a web search. */
export function searchUnavailableNote(words: Wording): string {
  return `${words.say("search.unavailableNote")}\n\n`;
}

/** Opens an ordinary model's answer once the user's web searches for the day are spent. */
export function searchShareSpentNote(dailyShare: number, words: Wording): string {
  return `${words.say("search.shareSpentNote", { share: dailyShare })}\n\n`;
}

/** What an answer cut off by a restart says: nothing was lost but the answer, and the user can ask again. */
export function stoppedReply(attempts: readonly AttemptRecord[], words: Wording): ErrorReply {
  return { kind: "error", failure: "stopped", text: words.say("error.stopped"), attempts };
}

/**
 * Every answer model tried was too small for the request (skipped as too large, or answered 413
 * or too long). The service calls among the attempts (the safety screen's) say nothing of that.
 */
export function isTooLargeEverywhere(attempts: readonly AttemptRecord[]): boolean {
  const answering = attempts.filter((attempt) => isAnswerRole(attempt.role));
  const skipped = answering.filter((attempt) => attempt.outcome === "skipped" || attempt.outcome === "request_too_large" || attempt.outcome === "context_too_long");
  return (
    skipped.length > 0 &&
    skipped.length === answering.length &&
    skipped.every((attempt) => attempt.outcome !== "skipped" || /too long|larger than|does not accept/.test(attempt.reason ?? ""))
  );
}

/** A message no model can take: too long, with its files and history. */
export function tooLargeReply(attempts: readonly AttemptRecord[], words: Wording): ErrorReply {
  return { kind: "error", failure: "no_model_available", text: words.say("error.tooLarge"), attempts };
}

/** Turns any failure into one short reply that says what happened and what to do. */
export function errorReply(error: unknown, attempts: readonly AttemptRecord[], words: Wording): ErrorReply {
  if (error instanceof BadInputError) return { kind: "error", failure: "bad_input", text: error.message, attempts };
  if (error instanceof NoModelAvailableError) {
    const all = [...attempts, ...error.attempts];
    const what = describeRole(error.role, words);
    if (error.retryAfterMs === undefined && isTooLargeEverywhere(error.attempts)) return tooLargeReply(all, words);
    if (error.retryAfterMs === undefined) {
      return { kind: "error", failure: "no_model_available", text: words.say("error.noModel", { what }), attempts: all };
    }
    return {
      kind: "error",
      failure: "no_model_available",
      text: words.say("error.outOfQuota", { what, wait: words.wait(error.retryAfterMs) }),
      retryAfterMs: error.retryAfterMs,
      attempts: all,
    };
  }
  if (error instanceof ModelCallError && error.kind === "authentication") {
    return { kind: "error", failure: "internal", text: words.say("error.apiKey"), attempts };
  }
  return { kind: "error", failure: "internal", text: words.say("error.internal"), attempts };
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
  words: Wording,
): FinalReply | undefined {
  if (result.outcome === "unsafe") {
    log.info({ categories: result.categories, subject }, "refused by the safety screen");
    const categories = result.categories.join(", ");
    const text = words.say(subject === "input" ? "safety.refusedInput" : "safety.refusedAnswer", { categories });
    const refusal: RefusalReply = { kind: "refusal", text, categories: result.categories, attempts };
    return refusal;
  }
  if (result.outcome !== "unavailable") return undefined;
  if (onOutage === "allow") {
    log.warn({ reason: result.reason, subject }, "safety screen unavailable; answering as SAFETY_ON_OUTAGE=allow");
    return undefined;
  }
  log.warn({ reason: result.reason, subject }, "safety screen unavailable; blocking as SAFETY_ON_OUTAGE=block");
  return { kind: "error", failure: "no_model_available", text: words.say("safety.unavailable"), attempts };
}

/**
 * A user's message beyond those already waiting for an answer: refused at once, so that a flood
 * from one person neither waits in memory nor holds up anyone else.
 */
export function oneAtATimeReply(words: Wording): ErrorReply {
  return { kind: "error", failure: "busy", text: words.say("error.oneAtATime"), attempts: [] };
}
