import type { ModelProfile } from "../models/catalog.js";
import { estimateMessagesTokens } from "../models/token-estimate.js";
import type { ModelClient, ModelMessage } from "../ports/model-client.js";
import type { Role } from "../roles.js";
import type { CallFit, CallSpec, ModelCall, SelectedModel, SendEvent, SendResult } from "./model-call.js";
import { streamChat } from "./stream-chat.js";

export interface ServiceJob<Outcome> {
  readonly role: Role;
  readonly candidates: readonly string[];
  /** The prompt for one model (Llama Guard and a policy-following classifier are asked differently). */
  readonly messagesFor: (profile: ModelProfile) => readonly ModelMessage[];
  /** A short answer is all a service call wants; a reasoning model needs room to think first. */
  readonly completionBudgetFor: (profile: ModelProfile) => number;
  readonly arrivedAt: number;
  readonly maxQueueWaitMs: number;
  readonly timeoutMs: number;
  readonly maxCalls?: number;
  readonly needsImages?: boolean;
  /**
   * Reads the model's answer; undefined when it cannot be read (not the format asked for, or
   * an injected answer), and then the next model of the chain is asked instead.
   */
  readonly read: (answer: string) => Outcome | undefined;
}

/**
 * A short call Mami makes for itself (the safety screen, the router): a fixed prompt, a small
 * budget, low reasoning effort, and an answer in a format it can read. It falls back like any
 * call, and an answer it cannot read sends it to the next model too.
 */
export class ServiceCall<Outcome> implements ModelCall<Outcome> {
  readonly spec: CallSpec;

  constructor(
    private readonly job: ServiceJob<Outcome>,
    private readonly client: ModelClient,
  ) {
    const { role, candidates, arrivedAt, maxQueueWaitMs, timeoutMs, maxCalls } = job;
    this.spec = { role, candidates, needsImages: job.needsImages ?? false, arrivedAt, maxQueueWaitMs, timeoutMs, ...(maxCalls === undefined ? {} : { maxCalls }) };
  }

  fit(profile: ModelProfile): CallFit {
    const messages = this.job.messagesFor(profile);
    const promptTokens = estimateMessagesTokens(messages);
    const completionBudget = Math.min(this.job.completionBudgetFor(profile), profile.maxOutputTokens);
    if (promptTokens + completionBudget > profile.contextWindow) return { fits: false, reason: "the text is too long for its context window" };
    return { fits: true, plan: { messages, promptTokens, completionBudget } };
  }

  async *send(selected: SelectedModel, signal: AbortSignal | undefined): AsyncGenerator<SendEvent, SendResult<Outcome>> {
    const { text, usage } = yield* streamChat(this.client, selected, { reasoningEffort: "low", timeoutMs: this.job.timeoutMs, signal });
    const outcome = this.job.read(text);
    if (outcome === undefined) return { kind: "again", reason: "unreadable_answer", excludeModel: true, usage };
    return { kind: "done", outcome, usage };
  }
}
