/**
 * What became of each message of the load run, from the core's finals (the ledger) and what the
 * chat shows. Every message must end with exactly one final reply the user can see.
 */
import type { FinalReply } from "../../../src/core/reply.js";
import type { PlannedMessage } from "./load-plan.js";

export type LoadOutcome =
  /** The whole answer, shown as the core finished it. */
  | "answered"
  /**
   * Part of the answer and a note that it was cut off: a model broke off, or the answer reached
   * its budget, and no model could go on within the answer's wait.
   */
  | "answered_cut"
  /** Every model busy: told when to try again. */
  | "busy_with_retry_time"
  /** The user's own earlier messages still waiting: told to wait for their answer. */
  | "one_at_a_time"
  /** Told to try again later, without a time. */
  | "try_later"
  /** Another error reply of the core (too large, internal). */
  | "other_error"
  /** The platform would not show the reply: the adapter's apology instead. */
  | "apology"
  /** A final reply whose text the chat does not show as the core gave it. */
  | "shown_wrong"
  /** Nothing by the end of the run. */
  | "lost";

export const loadOutcomes: readonly LoadOutcome[] = ["answered", "answered_cut", "busy_with_retry_time", "one_at_a_time", "try_later", "other_error", "apology", "shown_wrong", "lost"];

export interface LoadRecord {
  readonly planned: PlannedMessage;
  readonly outcome: LoadOutcome;
  /** Finals the core presented for it: exactly one, or none with an apology. */
  readonly finals: number;
}

/** Text compared without white space runs or markdown markers: Telegram shows `_x_` as x in italics. */
const normalized = (text: string): string => text.replace(/[*_`~|]/g, "").replace(/\s+/g, " ").trim();

/**
 * `shown` is what the chat shows in reply: on Telegram every part replies to the message, on
 * Discord only the first does, so `wholeReplyShown` says whether the parts are the whole reply.
 */
export function loadOutcomeOf(planned: PlannedMessage, finals: readonly FinalReply[], shown: readonly string[], apologyText: string, wholeReplyShown: boolean): LoadRecord {
  const final = finals[0];
  if (final === undefined) return { planned, finals: 0, outcome: shown.includes(apologyText) ? "apology" : "lost" };
  const visible = normalized(shown.join(" "));
  const expected = normalized(final.text);
  const shownRight = wholeReplyShown ? visible === expected : visible !== "" && expected.startsWith(normalized(shown[0] ?? ""));
  const outcome = !shownRight ? "shown_wrong" : outcomeOfFinal(final, planned);
  return { planned, finals: finals.length, outcome };
}

function outcomeOfFinal(final: FinalReply, planned: PlannedMessage): LoadOutcome {
  if (final.kind === "answer") return final.text.includes(planned.answer) ? "answered" : "answered_cut";
  if (final.kind !== "error") return "other_error";
  if (final.failure === "busy") return "one_at_a_time";
  if (final.failure === "no_model_available") return final.retryAfterMs === undefined ? "try_later" : "busy_with_retry_time";
  return "other_error";
}
