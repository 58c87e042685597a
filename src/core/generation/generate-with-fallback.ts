import { ModelCallError, NoModelAvailableError, type AttemptRecord } from "../errors.js";
import type { ModelProfile } from "../models/catalog.js";
import { failurePolicy } from "../models/failure-policy.js";
import type { ModelRegistry } from "../models/model-registry.js";
import { estimateMargin, estimateMessagesTokens } from "../models/token-estimate.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { ModelClient, ModelMessage, TokenUsage } from "../ports/model-client.js";
import type { AnswerRole } from "../roles.js";
import type { ModelSelector, RequestFit, Selection, SelectionRequest } from "../selection/model-selector.js";
import type { QuotaQueue } from "../selection/quota-queue.js";
import type { CompletionBudgets } from "./completion-budgets.js";
import { ThinkStripper } from "./think-stripper.js";

export interface PromptForModel {
  readonly messages: readonly ModelMessage[];
}

export interface PromptBudget {
  /** The most the whole prompt may take. */
  readonly total: number;
  /** The most the prompt may take with history included; history is trimmed to stay within it. */
  readonly history: number;
}

export interface GenerationInput {
  readonly role: string;
  readonly candidates: readonly string[];
  readonly needsImages: boolean;
  /**
   * The completion budget to ask a model for: a capacity lever, since Groq charges it up front.
   * Answers use what their role and model learned (CompletionBudgets); service calls a constant.
   */
  readonly completionBudget: (profile: ModelProfile) => number;
  /** When the minute's tokens cannot cover the whole budget, half of it will do (the rest is continued). */
  readonly acceptsHalfBudget?: boolean;
  readonly reasoningEffort: "low" | "default";
  /**
   * Builds the prompt for one model within the budgets, in tokens (history trimmed, newest
   * kept); undefined when even the message without history does not fit `total`.
   */
  readonly buildPrompt: (profile: ModelProfile, budget: PromptBudget) => PromptForModel | undefined;
  /** When the message arrived: its place in the quota queue, and the start of its wait. */
  readonly arrivedAt: number;
  /** The longest the request may wait in the queue, counted from `arrivedAt`. */
  readonly maxQueueWaitMs: number;
  readonly timeoutMs: number;
  /** Models to call at most (the router makes one short call); unlimited when absent. */
  readonly maxCalls?: number;
  /** An answer role learns its budgets from what its answers use; service calls leave this out. */
  readonly learnsBudgetsFor?: AnswerRole;
  readonly signal?: AbortSignal;
}

export interface GenerationResult {
  readonly text: string;
  readonly model: string;
  /** Summed over every call that answered part of it. */
  readonly usage: TokenUsage | undefined;
  readonly attempts: readonly AttemptRecord[];
  /** Calls that went on with an answer that had reached its completion budget. */
  readonly continuations: number;
}

/** What a generation yields: answer text, or word that it waits in the queue for quota. */
export type GenerationEvent = { readonly kind: "text"; readonly text: string } | { readonly kind: "waiting"; readonly milliseconds: number };

export interface GenerationServices {
  readonly client: ModelClient;
  readonly registry: ModelRegistry;
  readonly selector: ModelSelector;
  readonly queue: QuotaQueue;
  readonly budgets: CompletionBudgets;
  readonly clock: Clock;
  readonly logger: Logger;
}

export type SelectedModel = Extract<Selection, { kind: "selected" }>;

/** Fewer completion tokens than this and an answer is not worth starting. */
const minimumCompletionTokens = 128;
/** An answer that keeps reaching its budget is continued at most this often. */
const maxContinuations = 4;
/** A reasoning model that spent its whole budget thinking gets a larger one, this many times. */
const maxBudgetDoublings = 2;
const continuationInstruction =
  "Your previous answer was cut off. Continue it exactly where it stopped, without repeating anything and without any preamble.";
const truncationNote = "\n\n_(The answer was cut off: the model stopped responding. Ask me to continue.)_";

/**
 * Shapes the request for one model: the prompt trimmed to what its context window and
 * per-minute tokens take, the answer so far when continuing, and the completion budget.
 */
function fitRequest(input: GenerationInput, registry: ModelRegistry, profile: ModelProfile, produced: string, budgetScale: number): RequestFit {
  const state = registry.state(profile.id);
  const completionBudget = Math.min(Math.round(input.completionBudget(profile) * budgetScale), profile.maxOutputTokens);
  const withinCeiling = (ceiling: number): number => Math.floor((ceiling - completionBudget) / estimateMargin);
  const conservativeCeiling = Math.min(profile.contextWindow, state.tokensPerMinuteLimit);
  // History is always trimmed to what the model's TPM is known or assumed to take; the user's
  // own message may try a model whose real TPM we have not learned yet.
  const prompt = input.buildPrompt(profile, {
    total: withinCeiling(state.limitsConfirmed ? conservativeCeiling : profile.contextWindow),
    history: withinCeiling(conservativeCeiling),
  });
  if (prompt === undefined) return { fits: false, reason: "the message is too long for its context window and per-minute token limit" };
  const messages: readonly ModelMessage[] =
    produced === ""
      ? prompt.messages
      : [...prompt.messages, { role: "assistant", content: produced }, { role: "user", content: continuationInstruction }];
  const promptTokens = estimateMessagesTokens(messages);
  const budget = Math.min(completionBudget, profile.contextWindow - promptTokens);
  if (budget < Math.min(minimumCompletionTokens, completionBudget)) {
    return { fits: false, reason: "the message is too long for its context window" };
  }
  return { fits: true, messages, promptTokens, completionBudget: budget };
}

function selectionRequest(input: GenerationInput, registry: ModelRegistry, excluded: ReadonlySet<string>, produced: string, budgetScale: number): SelectionRequest {
  return {
    candidates: input.candidates,
    needsImages: input.needsImages,
    excluded,
    fitFor: (profile) => fitRequest(input, registry, profile, produced, budgetScale),
    ...(input.acceptsHalfBudget === true ? { acceptsHalfBudget: true } : {}),
  };
}

/** Every call of the request counts: continuations and retried answers are paid for too. */
function addUsage(total: TokenUsage | undefined, usage: TokenUsage): TokenUsage {
  if (total === undefined) return usage;
  return {
    promptTokens: total.promptTokens + usage.promptTokens,
    completionTokens: total.completionTokens + usage.completionTokens,
    totalTokens: total.totalTokens + usage.totalTokens,
    cachedPromptTokens: (total.cachedPromptTokens ?? 0) + (usage.cachedPromptTokens ?? 0),
  };
}

function recordSkipped(selection: Selection, attempts: AttemptRecord[]): void {
  for (const skip of selection.skipped) {
    // One line per model: a model that already failed in this request is not listed again as skipped.
    if (!attempts.some((attempt) => attempt.model === skip.model)) {
      attempts.push({ model: skip.model, outcome: "skipped", reason: skip.reason, ms: 0 });
    }
  }
}

/**
 * Takes the best candidate that has quota now, or waits in the quota queue for one, telling the
 * caller at once about how long. A wait that would end after the deadline is refused at once
 * with the time to retry, rather than kept until it times out.
 */
export async function* acquireModel(
  input: GenerationInput,
  services: GenerationServices,
  attempts: AttemptRecord[],
  state: { readonly excluded: ReadonlySet<string>; readonly produced: string; readonly budgetScale: number } = { excluded: new Set(), produced: "", budgetScale: 1 },
): AsyncGenerator<GenerationEvent, SelectedModel> {
  const { registry, queue, clock } = services;
  await registry.refreshShared(clock.now());
  const request = selectionRequest(input, registry, state.excluded, state.produced, state.budgetScale);
  const selection = queue.selectNow(request, input.arrivedAt);
  recordSkipped(selection, attempts);
  if (selection.kind === "selected") return selection;
  const now = clock.now();
  if (selection.earliestAvailableAt === undefined && selection.waitingOn.length === 0) throw new NoModelAvailableError(input.role, undefined, attempts);
  const estimate = queue.estimateWaitMs(request, input.arrivedAt) ?? Math.max(0, (selection.earliestAvailableAt ?? now) - now);
  const deadlineAt = input.arrivedAt + input.maxQueueWaitMs;
  if (now + estimate > deadlineAt) throw new NoModelAvailableError(input.role, Math.max(estimate, 1_000), attempts);
  yield { kind: "waiting", milliseconds: estimate };
  const waited = await queue.wait(request, input.arrivedAt, deadlineAt, input.signal);
  if (waited.kind === "selected") return waited;
  const retryAfterMs = waited.earliestAvailableAt === undefined ? undefined : Math.max(1_000, waited.earliestAvailableAt - clock.now());
  throw new NoModelAvailableError(input.role, retryAfterMs, attempts);
}

/**
 * Streams an answer from the best available model, moving to the next candidate at once when a
 * call fails (what each failure means is failure-policy.ts's table). A failure before any text
 * falls back silently; after text, the next model continues from what was said, or the answer
 * ends with a note. An answer that reaches its completion budget is continued at once, on the
 * same model or the next that has quota, so the user sees one complete answer.
 * `first` is a model the caller already acquired (the pipeline screens the message in between).
 */
export async function* generateWithFallback(
  input: GenerationInput,
  services: GenerationServices,
  first?: SelectedModel,
  earlierAttempts: readonly AttemptRecord[] = [],
): AsyncGenerator<GenerationEvent, GenerationResult> {
  const { client, registry, queue, budgets, clock, logger } = services;
  const attempts: AttemptRecord[] = [...earlierAttempts];
  const excluded = new Set<string>();
  let produced = "";
  let lastUsage: TokenUsage | undefined;
  let continuations = 0;
  let budgetDoublings = 0;
  let next = first;

  for (;;) {
    input.signal?.throwIfAborted();
    let selection: SelectedModel;
    if (next !== undefined) {
      selection = next;
      next = undefined;
    } else {
      const calls = attempts.filter((attempt) => attempt.outcome !== "skipped").length;
      if (input.maxCalls !== undefined && calls >= input.maxCalls) throw new NoModelAvailableError(input.role, undefined, attempts);
      try {
        selection = yield* acquireModel(input, services, attempts, { excluded, produced, budgetScale: 2 ** budgetDoublings });
      } catch (error) {
        if (error instanceof NoModelAvailableError && produced !== "") {
          return { text: produced + truncationNote, model: attempts.at(-1)?.model ?? "", usage: lastUsage, attempts, continuations };
        }
        throw error;
      }
    }

    const { model, profile, messages, completionBudget, reservation } = selection;
    const state = registry.state(model);
    const attemptStartedAt = clock.now();
    const stripper = new ThinkStripper();
    let producedByThisModel = "";
    try {
      const stream = await client.stream({
        model,
        messages,
        maxCompletionTokens: completionBudget,
        reasoningFamily: profile.reasoningFamily,
        reasoningEffort: input.reasoningEffort,
        timeoutMs: input.timeoutMs,
        ...(input.signal === undefined ? {} : { signal: input.signal }),
      });
      registry.recordHeaders(model, clock.now(), stream.rateLimits);
      for await (const delta of stream.deltas) {
        const visible = stripper.push(delta);
        if (visible !== "") {
          producedByThisModel += visible;
          produced += visible;
          yield { kind: "text", text: visible };
        }
      }
      const rest = stripper.end();
      if (rest !== "") {
        producedByThisModel += rest;
        produced += rest;
        yield { kind: "text", text: rest };
      }
      const usage = stream.usage();
      const reachedBudget = stream.finishReason() === "length";
      if (usage !== undefined) {
        state.settle(reservation, usage, completionBudget);
        lastUsage = addUsage(lastUsage, usage);
        if (input.learnsBudgetsFor !== undefined) budgets.observe(input.learnsBudgetsFor, model, usage.completionTokens, completionBudget, reachedBudget);
        queue.quotaFreed();
      }
      state.observeSuccess();
      if (producedByThisModel.trim() === "") {
        attempts.push({ model, outcome: "empty_answer", ms: clock.now() - attemptStartedAt });
        // All reasoning and no answer: the budget ran out while thinking, so think with more;
        // otherwise another model may do better.
        if (reachedBudget && budgetDoublings < maxBudgetDoublings) budgetDoublings += 1;
        else excluded.add(model);
        continue;
      }
      if (reachedBudget && continuations < maxContinuations) {
        attempts.push({ model, outcome: "budget_reached", ms: clock.now() - attemptStartedAt });
        continuations += 1;
        continue;
      }
      attempts.push({ model, outcome: "answered", ms: clock.now() - attemptStartedAt });
      return { text: produced, model, usage: lastUsage, attempts, continuations };
    } catch (error) {
      if (!(error instanceof ModelCallError)) throw error;
      const effects = failurePolicy[error.kind];
      if (effects.releasesReservation) {
        state.release(reservation);
        queue.quotaFreed();
      }
      registry.recordFailure(model, clock.now(), error);
      const brokeMidStream = producedByThisModel !== "";
      attempts.push({
        model,
        outcome: brokeMidStream ? "stream_broken" : error.kind,
        reason: error.message.slice(0, 200),
        ms: clock.now() - attemptStartedAt,
      });
      logger.warn({ model, kind: error.kind, status: error.status, brokeMidStream }, "model call failed; falling back");
      if (effects.endsRequest) throw error;
      if (effects.excludesModelForRequest || brokeMidStream) excluded.add(model);
    }
  }
}
