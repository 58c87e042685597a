import type { FinalReply } from "../../../src/core/reply.js";

type FinalReplyKind = FinalReply["kind"];
import type { BurstMessage } from "./workload.js";

/**
 * What became of one message of the burst, judged by its deadline (60 s from its arrival):
 * - answered complete: a final answer that holds the message's whole intended answer, by the deadline;
 * - answered incomplete: a final answer by the deadline that lacks part of it (a cut-off note);
 * - told busy: a final error that says when to retry, by the deadline;
 * - refused, other error: listed apart;
 * - lost: no final reply by the deadline (a reply that came later counts here, and as late).
 */
export type Outcome = "answered_complete" | "answered_incomplete" | "told_busy" | "refused" | "other_error" | "lost";

export const outcomes: readonly Outcome[] = ["answered_complete", "answered_incomplete", "told_busy", "refused", "other_error", "lost"];

/** A final reply as the bench saw it: the core's own (in-process), or the chat's visible text (Telegram). */
export interface SeenFinal {
  readonly text: string;
  /** Known in-process; undefined through Telegram, where only the text is seen. */
  readonly kind: FinalReplyKind | undefined;
  readonly failure: string | undefined;
  /** When it was complete, in ms since the epoch. */
  readonly at: number;
}

/** Everything the bench recorded about one message. */
export interface MessageRecord {
  readonly message: BurstMessage;
  /** When the message arrived (ms since the epoch): where its deadline counts from. */
  readonly arrivedAt: number;
  final: SeenFinal | undefined;
  /** Finals beyond the first: must never happen. */
  extraFinals: number;
  /** A "busy, you are in the queue" notice was shown before the reply. */
  queueNoticeShown: boolean;
  /** When the notice first showed, and when any other text did: the answer's start, or the reply that ended the wait (ms since the epoch). */
  noticeAt: number | undefined;
  firstTextAt: number | undefined;
  /** The role Mami answered as (in-process only). */
  role: string | undefined;
}

export function newMessageRecord(message: BurstMessage, arrivedAt: number): MessageRecord {
  return { message, arrivedAt, final: undefined, extraFinals: 0, queueNoticeShown: false, noticeAt: undefined, firstTextAt: undefined, role: undefined };
}

/** How Mami's queue notice opens (the language catalogs' "queue.notice"); a final reply never opens so but "one at a time". */
export const queueNoticeOpening = "⏳";
/** Mami's queue notice in English (the language catalogs' "queue.notice"), as a message that stands until the answer replaces it. */
export const queueNoticePattern = /^⏳ Busy right now: your message is in the queue/;

/** Mami's reply when every model is out of quota (pipeline/error-replies.ts) names the wait. */
const retryTimePattern = /try again in about \d+ (seconds?|minutes?|hours?)\b/i;
/** Mami's refusal opening (pipeline/safety-replies.ts). */
const refusalPattern = /^I can't (help with that|share that answer)/;

export function saysWhenToRetry(text: string): boolean {
  return retryTimePattern.test(text);
}

export function deadlineOf(record: MessageRecord, deadlineMs: number): number {
  return record.arrivedAt + deadlineMs;
}

export function outcomeOf(record: MessageRecord, deadlineMs: number): Outcome {
  const final = record.final;
  if (final === undefined || final.at > deadlineOf(record, deadlineMs)) return "lost";
  const answered = final.kind === undefined ? final.text.includes(`Answer to ${record.message.tag}.`) : final.kind === "answer";
  if (answered) return final.text.includes(record.message.answer) ? "answered_complete" : "answered_incomplete";
  const refused = final.kind === undefined ? refusalPattern.test(final.text) : final.kind === "refusal";
  if (refused) return "refused";
  const noModel = final.kind === undefined || final.failure === "no_model_available";
  return noModel && saysWhenToRetry(final.text) ? "told_busy" : "other_error";
}

/** Why a lost message is lost: its complete answer, or its "try again" reply, came after the deadline, or nothing came. */
export type LateKind = "late_answer" | "late_busy" | "late_other" | "no_reply";

export function lateKindOf(record: MessageRecord, deadlineMs: number): LateKind | undefined {
  if (outcomeOf(record, deadlineMs) !== "lost") return undefined;
  if (record.final === undefined) return "no_reply";
  if (record.final.text.includes(record.message.answer)) return "late_answer";
  return saysWhenToRetry(record.final.text) ? "late_busy" : "late_other";
}
