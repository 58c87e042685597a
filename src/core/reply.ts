import type { AttemptRecord } from "./errors.js";
import type { TokenUsage } from "./ports/model-client.js";
import type { AnswerRole } from "./roles.js";

/**
 * What the pipeline produces for one request: text deltas while the answer is written, then
 * exactly one final reply. The core presents it through the adapter's reply surface; the CLI
 * and tests read it directly.
 */
export type ReplyEvent =
  /** Work is under way and nothing is visible yet: show "typing". */
  | { readonly type: "working"; readonly activity: "screening" | "transcribing" | "thinking" }
  /** The request waits in the quota queue; `notice` says so and about how long, until the answer replaces it. */
  | { readonly type: "queued"; readonly waitMs: number; readonly notice: string }
  /**
   * A long job under way (a document read in parts): `notice` says how far it is and about how
   * long is left, shown like a queue notice until the answer replaces it; `stop` is offered as a
   * button (or a command to type) to stop it.
   */
  | { readonly type: "progress"; readonly notice: string; readonly stop?: ReplyChoice }
  /** More answer text, to be appended to what was shown. */
  | { readonly type: "delta"; readonly text: string }
  | { readonly type: "final"; readonly reply: FinalReply };

/** A model's answer. `text` is everything the deltas carried plus what was appended (a footer, a note). */
export interface AnswerReply {
  readonly kind: "answer";
  readonly text: string;
  readonly role: AnswerRole;
  readonly model: string;
  readonly usage: TokenUsage | undefined;
  readonly attempts: readonly AttemptRecord[];
  /** Calls that went on with an answer that had reached its completion budget. */
  readonly continuations: number;
  /** Time spent waiting in the quota queue before a model took it; 0 when one was free at once. */
  readonly queuedMs: number;
}

/** The safety screen refused the input (or withheld the answer). */
export interface RefusalReply {
  readonly kind: "refusal";
  readonly text: string;
  /** The safety categories in plain words. */
  readonly categories: readonly string[];
  readonly attempts: readonly AttemptRecord[];
}

export type ErrorFailure = "no_model_available" | "bad_input" | "not_allowed" | "budget_spent" | "busy" | "stopped" | "internal";

/** Something went wrong; `text` says what to do. */
export interface ErrorReply {
  readonly kind: "error";
  readonly text: string;
  /** What kind of failure, so the CLI can choose its exit status and metrics can count it. */
  readonly failure: ErrorFailure;
  /** When trying again may work, if anyone knows. */
  readonly retryAfterMs?: number;
  readonly attempts: readonly AttemptRecord[];
}

/** A command's or the pipeline's own message (help, status, reset). */
export interface NoticeReply {
  readonly kind: "notice";
  readonly text: string;
  /** Choices the surface offers as buttons (or lists as commands to type), each a command line. */
  readonly choices?: readonly ReplyChoice[];
}

export type FinalReply = AnswerReply | RefusalReply | ErrorReply | NoticeReply;

export interface ReplyChoice {
  readonly label: string;
  readonly command: string;
}

export type ReplyStream = AsyncIterable<ReplyEvent>;

/** The models tried for a reply; a notice tried none. */
export function attemptsOf(reply: FinalReply): readonly AttemptRecord[] {
  return reply.kind === "notice" ? [] : reply.attempts;
}

/** A reply that needs no model: one final event. */
export async function* noticeStream(text: string, choices?: readonly ReplyChoice[]): ReplyStream {
  yield { type: "final", reply: { kind: "notice", text, ...(choices === undefined ? {} : { choices }) } };
}

/** Collects a reply stream into its final reply (for the CLI and tests). */
export async function finalReplyOf(stream: ReplyStream): Promise<FinalReply> {
  let final: FinalReply | undefined;
  for await (const event of stream) {
    if (event.type === "final") final = event.reply;
  }
  if (final === undefined) throw new Error("The reply stream ended without a final reply.");
  return final;
}
