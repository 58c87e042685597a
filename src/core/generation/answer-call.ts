import type { Wording } from "../language/wording.js";
import type { ModelProfile } from "../models/catalog.js";
import type { CompletionAccounting, ModelState } from "../models/model-state.js";
import { estimateMargin } from "../models/token-estimate.js";
import type { ModelClient } from "../ports/model-client.js";
import type { AnswerRole } from "../roles.js";
import type { CompletionBudgets, SeenAnswer } from "./completion-budgets.js";
import { continuationPromptTokens, planConversationCall, promptTokensBeforeHistory, type ConversationPrompt } from "./conversation-prompt.js";
import type { CallFit, CallSpec, ModelCall, SelectedModel, SendEvent, SendResult } from "./model-call.js";
import { streamChat } from "./stream-chat.js";

/** An answer that keeps reaching its budget is continued at most this often. */
const maxContinuations = 4;
/** A reasoning model that spent its whole budget thinking gets a larger one, this many times. */
const maxBudgetDoublings = 2;
/** Reasoning costs tokens too: full effort where it pays (math and proofs), low elsewhere. */
export function reasoningEffortFor(role: AnswerRole): "low" | "default" {
  return role === "logic" ? "default" : "low";
}


export interface AnswerJob {
  readonly role: AnswerRole;
  readonly candidates: readonly string[];
  readonly prompt: ConversationPrompt;
  readonly reasoningEffort: "low" | "default";
  readonly arrivedAt: number;
  readonly maxQueueWaitMs: number;
  /** How long from its arrival an answer under way may wait to go on (see CallSpec). */
  readonly maxContinueWaitMs: number;
  readonly timeoutMs: number;
  /** The user's language, for the note under an answer that was cut off. */
  readonly words: Wording;
}

/** The room a full minute has left is taken only when this share of the answers of the kind seen fit in it. */
const fragmentFinishingShare = 0.75;

/** What an answer's length is learned and chosen by. */
interface LearnedKind {
  readonly role: AnswerRole;
  readonly model: string;
  readonly accounting: CompletionAccounting;
  readonly promptTokens: number;
}

/**
 * A user's answer as a job for the fallback engine. It asks each model for the completion
 * budget that answers of its role really use (CompletionBudgets), so the up-front charge stays
 * near the real cost, and continues an answer that reached that budget: on the same model or
 * the next with quota, sending what was said so far, so the user sees one complete answer.
 * When a model breaks off mid-answer, the next one continues from what was shown.
 */
export class AnswerCall implements ModelCall<string> {
  readonly spec: CallSpec;
  private produced = "";
  private budgetDoublings = 0;
  private continuations = 0;
  /** Completion tokens of every call of this answer: what the whole answer took. */
  private completionTokens = 0;
  /** The completion budget of the last call sent. */
  private lastBudget: number | undefined;
  /** The model that began the answer: the one whose budget its length tells about. */
  private begunOn: string | undefined;
  /** The prompt of its first call (before history): what its answer's length is learned and chosen by. */
  private readonly firstPromptTokens: number;
  /** The answer in the budgets' pools once it was cut: as long as it went, until it ends. */
  private seen: SeenAnswer | undefined;

  constructor(
    private readonly job: AnswerJob,
    private readonly client: ModelClient,
    private readonly budgets: CompletionBudgets,
  ) {
    const { role, candidates, arrivedAt, maxQueueWaitMs, maxContinueWaitMs, timeoutMs } = job;
    this.spec = { role, candidates, needsImages: job.prompt.imageDataUrls.length > 0, arrivedAt, maxQueueWaitMs, maxContinueWaitMs, timeoutMs };
    this.firstPromptTokens = promptTokensBeforeHistory(job.prompt);
  }

  fit(profile: ModelProfile, state: ModelState, now: number): CallFit {
    const learned = { role: this.job.role, model: profile.id, accounting: state.completionAccounting, promptTokens: this.firstPromptTokens };
    const callBudget =
      this.lastBudget === undefined || this.continuations === 0
        ? this.firstBudget(learned, state, now)
        : this.budgets.continuationBudget({ ...learned, spentTokens: this.completionTokens, lastBudget: this.lastBudget, continuation: this.continuations });
    const budget = callBudget * 2 ** this.budgetDoublings;
    return planConversationCall(this.job.prompt, this.produced, profile, { tokensPerMinute: state.tokensPerMinuteLimit, confirmed: state.limitsConfirmed }, budget);
  }

  /**
   * The first call's budget: what answers of the kind use (CompletionBudgets.budgetFor), unless
   * the model's minute says otherwise. A continuation sends the prompt and the answer so far
   * again beside this call's own charge, so:
   * - when the minute will not have that room before the message would stop waiting to start
   *   (late in a busy minute), a cut answer would likely stay cut: the call asks for enough to
   *   finish in one call, as far as the minute has room for now;
   * - when the minute has less room now than the budget and will not have it before the message
   *   stops waiting, but has what three answers in four of the kind use, and a continuation
   *   would have room before its deadline, the call takes what is left: most answers finish in
   *   it, and the rest go on when the minute frees. Otherwise it waits for its whole budget: a
   *   cut answer costs its prompt and what was said again.
   */
  private firstBudget(learned: LearnedKind, state: ModelState, now: number): number {
    const ordinary = this.budgets.budgetFor(learned.role, learned.model, learned.accounting, learned.promptTokens);
    const promptCost = Math.ceil(learned.promptTokens * estimateMargin);
    // The minute counts settled calls in fractions of a token; a budget is whole tokens.
    const room = Math.floor(state.freeTokensPerMinute(now) - promptCost);
    // When it stops waiting to start, and when an answer under way stops waiting to go on. What
    // the minute frees near the latter goes to others too: a continuation counted on for the
    // ordinary budget must fit by the former.
    const startBy = this.spec.arrivedAt + this.spec.maxQueueWaitMs;
    const continueBy = this.spec.arrivedAt + (this.spec.maxContinueWaitMs ?? this.spec.maxQueueWaitMs);
    if (room < ordinary) {
      const least = this.budgets.budgetFinishing(fragmentFinishingShare, learned.role, learned.model, learned.accounting, learned.promptTokens);
      const wholeBudget = state.unavailability(now, promptCost + ordinary);
      const wholeInTime = wholeBudget === undefined || ("until" in wholeBudget && wholeBudget.until <= startBy);
      return !wholeInTime && room >= least && this.continuationFits(learned, state, now, promptCost, room, continueBy) ? room : ordinary;
    }
    const oneCall = this.budgets.oneCallBudget(learned.role, learned.model, learned.accounting, learned.promptTokens);
    if (oneCall <= ordinary || this.continuationFits(learned, state, now, promptCost, ordinary, startBy)) return ordinary;
    return Math.min(oneCall, room);
  }

  /** Whether a continuation of a call cut at `budget` would find room beside it by `by`. */
  private continuationFits(learned: LearnedKind, state: ModelState, now: number, promptCost: number, budget: number, by: number): boolean {
    const continuation = Math.ceil(continuationPromptTokens(this.job.prompt, budget) * estimateMargin) + this.budgets.continuationBudget({ ...learned, spentTokens: budget, lastBudget: budget, continuation: 1 });
    const blocked = state.unavailability(now, promptCost + budget + continuation);
    return blocked === undefined || ("until" in blocked && blocked.until <= by);
  }

  async *send(selected: SelectedModel, signal: AbortSignal | undefined): AsyncGenerator<SendEvent, SendResult<string>> {
    this.lastBudget = selected.plan.completionBudget;
    const chat = streamChat(this.client, selected, { reasoningEffort: this.job.reasoningEffort, timeoutMs: this.job.timeoutMs, signal, continuing: this.produced !== "" });
    let step = await chat.next();
    let producedHere = "";
    for (; step.done !== true; step = await chat.next()) {
      // Kept as it comes: if the stream breaks, the next model continues from what was shown.
      if (step.value.kind === "text") {
        producedHere += step.value.text;
        this.produced += step.value.text;
      }
      yield step.value;
    }
    const { usage, finishReason } = step.value;
    const reachedBudget = finishReason === "length";
    this.completionTokens += usage?.completionTokens ?? 0;
    if (producedHere.trim() === "") {
      // All reasoning and no answer: the budget ran out while thinking, so think with more;
      // otherwise another model may do better.
      if (reachedBudget && this.budgetDoublings < maxBudgetDoublings) {
        this.budgetDoublings += 1;
        return { kind: "again", reason: "empty_answer", excludeModel: false, usage };
      }
      return { kind: "again", reason: "empty_answer", excludeModel: true, usage };
    }
    const begunOn = (this.begunOn ??= selected.model);
    if (reachedBudget && this.continuations < maxContinuations) {
      this.continuations += 1;
      this.seen = this.budgets.observeCut(this.job.role, begunOn, this.completionTokens, this.firstPromptTokens, this.seen);
      return { kind: "again", reason: "budget_reached", excludeModel: false, usage };
    }
    // Learned from whole answers: how long answers of this role begun on this model really are.
    // Under the model that ended it, a model that hands its cut answers on would keep only its
    // short ones, and ask for less and less.
    this.budgets.observeAnswer(this.job.role, begunOn, this.completionTokens, this.firstPromptTokens, this.seen);
    // Still going after every continuation: say so rather than end mid-sentence in silence.
    return { kind: "done", outcome: reachedBudget ? `${this.produced}\n\n${this.job.words.say("answer.tooLong")}` : this.produced, usage };
  }

  salvage(): string | undefined {
    // Said when no model could go on (a broken stream, or no quota left in time to continue).
    return this.produced === "" ? undefined : `${this.produced}\n\n${this.job.words.say("answer.cutOff")}`;
  }
}
