import type { ModelProfile } from "../models/catalog.js";
import type { ModelState } from "../models/model-state.js";
import type { ExecutedTool, ModelClient } from "../ports/model-client.js";
import { planConversationCall, type ConversationPrompt } from "./conversation-prompt.js";
import type { CallFit, CallSpec, ModelCall, SelectedModel, SendEvent, SendResult } from "./model-call.js";
import { streamChat } from "./stream-chat.js";

/**
 * A fixed completion budget: the search systems' 70,000 tokens a minute are never what binds
 * (their 250 requests a day are), and an answer cut at its budget is not continued, since a
 * second call would search again from that small day.
 */
export const searchCompletionBudget = 1_024;

const truncationNote = "\n\n_(The answer was cut off: the search system stopped responding.)_";

/** A search answer: its text, and the tools the system ran to write it (its web searches). */
export interface SearchAnswer {
  readonly text: string;
  readonly executedTools: readonly ExecutedTool[];
}

export interface SearchJob {
  /** The search chain only: an ordinary model cannot look anything up. */
  readonly candidates: readonly string[];
  readonly prompt: ConversationPrompt;
  readonly arrivedAt: number;
  readonly maxQueueWaitMs: number;
  readonly timeoutMs: number;
}

/**
 * A question answered by a compound system, which searches the web on Groq's side and streams
 * its answer once it has searched. Like an answer (answer-call.ts) it falls back across the
 * chain; unlike one it is never continued, and it keeps what the system ran so that the answer
 * can cite its sources.
 */
export class SearchCall implements ModelCall<SearchAnswer> {
  readonly spec: CallSpec;
  private produced = "";

  constructor(
    private readonly job: SearchJob,
    private readonly client: ModelClient,
  ) {
    const { candidates, arrivedAt, maxQueueWaitMs, timeoutMs } = job;
    this.spec = { role: "search", candidates, needsImages: false, arrivedAt, maxQueueWaitMs, timeoutMs };
  }

  fit(profile: ModelProfile, state: ModelState): CallFit {
    // Text already shown cannot be continued by another search, which would write its own
    // answer after it: the part shown is kept (salvage) instead.
    if (this.produced !== "") return { fits: false, reason: "the search answer broke off after it began" };
    return planConversationCall(this.job.prompt, "", profile, { tokensPerMinute: state.tokensPerMinuteLimit, confirmed: state.limitsConfirmed }, searchCompletionBudget);
  }

  async *send(selected: SelectedModel, signal: AbortSignal | undefined): AsyncGenerator<SendEvent, SendResult<SearchAnswer>> {
    const chat = streamChat(this.client, selected, { reasoningEffort: "low", timeoutMs: this.job.timeoutMs, signal });
    let step = await chat.next();
    for (; step.done !== true; step = await chat.next()) {
      if (step.value.kind === "text") this.produced += step.value.text;
      yield step.value;
    }
    const { text, usage, executedTools } = step.value;
    if (text.trim() === "") return { kind: "again", reason: "empty_answer", excludeModel: true, usage };
    return { kind: "done", outcome: { text, executedTools }, usage };
  }

  /** A search system that broke off mid-answer: what it said is worth keeping, without sources. */
  salvage(): SearchAnswer | undefined {
    return this.produced === "" ? undefined : { text: this.produced + truncationNote, executedTools: [] };
  }
}
