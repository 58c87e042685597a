import type { AttemptRecord } from "./errors.js";
import type { TokenUsage } from "./ports/model-client.js";
import type { AnswerRole } from "./roles.js";

/**
 * What the pipeline hands back to an adapter: text deltas while the answer is produced, then
 * exactly one final reply. Adapters render; they never decide.
 */
export type ReplyEvent =
  /** Work is under way and nothing is visible yet: show "typing". */
  | {
      readonly type: "working";
      readonly activity: "screening" | "transcribing" | "waiting_for_quota" | "thinking";
      /** Words to show in place of the answer until it comes (a place in the queue, and about how long). */
      readonly notice?: string;
    }
  /** More answer text, to be appended to what was shown. */
  | { readonly type: "delta"; readonly text: string }
  | { readonly type: "final"; readonly reply: FinalReply };

export type FinalReplyKind =
  /** A model's answer. */
  | "answer"
  /** The safety screen refused the input (or the answer). */
  | "refusal"
  /** Something went wrong; `text` says what to do. */
  | "error"
  /** A command's or the pipeline's own message (help, status, reset). */
  | "notice";

export interface FinalReply {
  readonly kind: FinalReplyKind;
  /**
   * The whole text to show, markdown, footer included. For an answer it equals everything the
   * deltas carried plus whatever was appended at the end (a footer, a note after a broken stream).
   */
  readonly text: string;
  readonly role?: AnswerRole;
  readonly model?: string;
  readonly usage?: TokenUsage;
  readonly attempts: readonly AttemptRecord[];
  /** Choices the adapter may offer as buttons (for /model), each the command text to run. */
  readonly choices?: readonly ReplyChoice[];
  /** For `error`: what kind of failure, so the CLI can choose its exit status. */
  readonly failure?: "no_model_available" | "bad_input" | "not_allowed" | "budget_spent" | "internal";
  /** For `refusal`: the safety categories in plain words. */
  readonly refusedCategories?: readonly string[];
}

export interface ReplyChoice {
  readonly label: string;
  readonly command: string;
}

export type ReplyStream = AsyncIterable<ReplyEvent>;

/** Collects a reply stream into its final reply (for the CLI and tests). */
export async function finalReplyOf(stream: ReplyStream): Promise<FinalReply> {
  let final: FinalReply | undefined;
  for await (const event of stream) {
    if (event.type === "final") final = event.reply;
  }
  if (final === undefined) throw new Error("The reply stream ended without a final reply.");
  return final;
}
