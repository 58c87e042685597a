import type { CallFit, CallSpec, ModelCall, SelectedModel, SendEvent, SendResult } from "../generation/model-call.js";
import { streamChat } from "../generation/stream-chat.js";
import type { ModelProfile } from "../models/catalog.js";
import type { ModelState } from "../models/model-state.js";
import { estimateMargin, estimateMessagesTokens } from "../models/token-estimate.js";
import type { ModelClient, ModelMessage } from "../ports/model-client.js";

export interface ReadingCallJob {
  /** The model the reading chose for it first, then the others. */
  readonly candidates: readonly string[];
  readonly messages: readonly ModelMessage[];
  readonly completionBudget: number;
  /**
   * Its place in the quota queue. A part is sent when the reading has found room for it, so it
   * seldom waits; when it does, it waits behind every ordinary message (see read-document.ts).
   * It waits no longer than this either: its deadline is its place.
   */
  readonly arrivedAt: number;
  /** How long past `arrivedAt` it may wait for quota; 0 (the default) for a part, whose place is its deadline. */
  readonly maxQueueWaitMs?: number;
  readonly timeoutMs: number;
  /** Told when the call goes out on a model, its quota reserved. */
  readonly onSend?: (model: string) => void;
}

/**
 * One call of a document reading (notes on a part, the parts a follow-up needs, notes
 * condensed) as a job for the fallback engine, like a service call: a fixed prompt, a short
 * answer, low reasoning effort. A model that spent its whole budget thinking gets a larger one
 * once; notes cut at their budget are kept as they are.
 */
export class ReadingCall implements ModelCall<string> {
  readonly spec: CallSpec;
  private budgetDoubled = false;

  constructor(
    private readonly job: ReadingCallJob,
    private readonly client: ModelClient,
  ) {
    this.spec = {
      role: "long_context",
      candidates: job.candidates,
      needsImages: false,
      arrivedAt: job.arrivedAt,
      maxQueueWaitMs: job.maxQueueWaitMs ?? 0,
      timeoutMs: job.timeoutMs,
    };
  }

  fit(profile: ModelProfile, state: ModelState): CallFit {
    const promptTokens = estimateMessagesTokens(this.job.messages);
    const completionBudget = Math.min(this.job.completionBudget * (this.budgetDoubled ? 2 : 1), profile.maxOutputTokens);
    if (promptTokens + completionBudget > profile.contextWindow) return { fits: false, reason: "the part is too long for its context window" };
    // Larger than the model's known minute: another model may take it. An unconfirmed limit may
    // be a paid tier's, larger than the catalog says: the selector lets one call find out.
    if (state.limitsConfirmed && Math.ceil(promptTokens * estimateMargin) + completionBudget > state.tokensPerMinuteLimit) {
      return { fits: false, reason: "the part is larger than its tokens per minute" };
    }
    return { fits: true, plan: { messages: this.job.messages, promptTokens, completionBudget } };
  }

  async *send(selected: SelectedModel, signal: AbortSignal | undefined): AsyncGenerator<SendEvent, SendResult<string>> {
    this.job.onSend?.(selected.model);
    const { text, usage, finishReason } = yield* streamChat(this.client, selected, { reasoningEffort: "low", timeoutMs: this.job.timeoutMs, signal });
    if (text.trim() !== "") return { kind: "done", outcome: text, usage };
    if (finishReason === "length" && !this.budgetDoubled) {
      this.budgetDoubled = true;
      return { kind: "again", reason: "empty_answer", excludeModel: false, usage };
    }
    return { kind: "again", reason: "empty_answer", excludeModel: true, usage };
  }
}
