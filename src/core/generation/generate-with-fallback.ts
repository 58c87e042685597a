import { ModelCallError, NoModelAvailableError, type AttemptRecord } from "../errors.js";
import type { ModelProfile } from "../models/catalog.js";
import type { ModelRegistry } from "../models/model-registry.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { ModelClient, ModelMessage, TokenUsage } from "../ports/model-client.js";
import type { ModelSelector, RequestFit } from "../selection/model-selector.js";
import { estimateMessagesTokens } from "../models/token-estimate.js";
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
   * The completion budget the role asks for: a capacity lever, since Groq charges it up front.
   * A function when it depends on the model (a reasoning model needs room to think first).
   */
  readonly completionBudget: number | ((profile: ModelProfile) => number);
  /** The least the answer may be given when quota is short; defaults to the full budget. */
  readonly minimumCompletionBudget?: number;
  readonly reasoningEffort: "low" | "default";
  /**
   * Builds the prompt for one model within the budgets, in tokens (history trimmed, newest
   * kept); undefined when even the message without history does not fit `total`.
   */
  readonly buildPrompt: (profile: ModelProfile, budget: PromptBudget) => PromptForModel | undefined;
  readonly maxQueueWaitMs: number;
  readonly timeoutMs: number;
  /** Models to call at most (the router makes one short call); unlimited when absent. */
  readonly maxCalls?: number;
  readonly signal?: AbortSignal;
}

export interface GenerationResult {
  readonly text: string;
  readonly model: string;
  readonly usage: TokenUsage | undefined;
  readonly attempts: readonly AttemptRecord[];
}

/** What a generation yields: answer text, or word that it waits for a model to free up. */
export type GenerationEvent = { readonly kind: "text"; readonly text: string } | { readonly kind: "waiting"; readonly milliseconds: number };

/** Fewer completion tokens than this and an answer is not worth starting. */
const minimumCompletionTokens = 256;
const continuationInstruction =
  "Your previous answer was cut off. Continue it exactly where it stopped, without repeating anything and without any preamble.";
const truncationNote = "\n\n_(The answer was cut off: the model stopped responding. Ask me to continue.)_";

/** Failures after which the same model is not tried again within this request. */
function excludesModelForThisRequest(error: ModelCallError): boolean {
  return error.kind !== "rate_limited";
}

/**
 * Streams an answer from the best available model, moving to the next candidate at once on a
 * 429, 413, 5xx, timeout, dropped stream or gone model. A failure before any text falls back
 * silently; after text, the next model continues from what was said, or the answer ends with a
 * note. When every candidate is busy it waits (up to `maxQueueWaitMs`) for the earliest one.
 */
export async function* generateWithFallback(
  input: GenerationInput,
  dependencies: { readonly client: ModelClient; readonly registry: ModelRegistry; readonly selector: ModelSelector; readonly clock: Clock; readonly logger: Logger },
): AsyncGenerator<GenerationEvent, GenerationResult> {
  const { client, registry, selector, clock, logger } = dependencies;
  const attempts: AttemptRecord[] = [];
  const excluded = new Set<string>();
  const startedAt = clock.now();
  let produced = "";
  let lastUsage: TokenUsage | undefined;

  const prompts = new Map<string, PromptForModel>();
  const fitFor = (profile: ModelProfile): RequestFit => {
    const state = registry.state(profile.id);
    const wanted = typeof input.completionBudget === "number" ? input.completionBudget : input.completionBudget(profile);
    const completionBudget = Math.min(wanted, profile.maxOutputTokens);
    const withinCeiling = (ceiling: number): number => Math.floor((ceiling - completionBudget) / 1.1);
    const conservativeCeiling = Math.min(profile.contextWindow, state.tokensPerMinuteLimit);
    // History is always trimmed to what the model's TPM is known or assumed to take; the
    // user's own message may try a model whose real TPM we have not learned yet.
    let prompt = input.buildPrompt(profile, {
      total: withinCeiling(state.limitsConfirmed ? conservativeCeiling : profile.contextWindow),
      history: withinCeiling(conservativeCeiling),
    });
    if (produced !== "" && prompt !== undefined) {
      prompt = { messages: [...prompt.messages, { role: "assistant", content: produced }, { role: "user", content: continuationInstruction }] };
    }
    if (prompt === undefined) return { fits: false, reason: "the message is too long for its context window and per-minute token limit" };
    const promptTokens = estimateMessagesTokens(prompt.messages);
    const budget = Math.min(completionBudget, profile.contextWindow - promptTokens);
    if (budget < Math.min(minimumCompletionTokens, completionBudget)) {
      return { fits: false, reason: "the message is too long for its context window" };
    }
    prompts.set(profile.id, prompt);
    return { fits: true, promptTokens, completionBudget: budget };
  };

  for (;;) {
    input.signal?.throwIfAborted();
    await registry.refreshShared(clock.now());
    const calls = attempts.filter((attempt) => attempt.outcome !== "skipped").length;
    if (input.maxCalls !== undefined && calls >= input.maxCalls) throw new NoModelAvailableError(input.role, undefined, attempts);
    const now = clock.now();
    const selection = selector.select(
      {
        candidates: input.candidates,
        needsImages: input.needsImages,
        excluded,
        fitFor,
        ...(input.minimumCompletionBudget === undefined ? {} : { minimumCompletionBudget: input.minimumCompletionBudget }),
      },
      now,
    );
    for (const skip of selection.skipped) {
      // One line per model: a model that already failed in this request is not listed again as skipped.
      if (!attempts.some((attempt) => attempt.model === skip.model)) {
        attempts.push({ model: skip.model, outcome: "skipped", reason: skip.reason, ms: 0 });
      }
    }
    if (selection.kind === "none") {
      const waitedMs = now - startedAt;
      const waitMs = selection.earliestAvailableAt === undefined ? undefined : selection.earliestAvailableAt - now;
      if (waitMs !== undefined && waitedMs + waitMs <= input.maxQueueWaitMs) {
        yield { kind: "waiting", milliseconds: waitMs };
        await clock.sleep(Math.max(waitMs, 1), input.signal);
        continue;
      }
      if (produced !== "") {
        return { text: produced + truncationNote, model: attempts.at(-1)?.model ?? "", usage: lastUsage, attempts };
      }
      throw new NoModelAvailableError(input.role, waitMs, attempts);
    }

    const { model, profile, completionBudget, reservation } = selection;
    const state = registry.state(model);
    const prompt = prompts.get(model);
    if (prompt === undefined) throw new Error(`No prompt was built for ${model}.`);
    const attemptStartedAt = clock.now();
    const stripper = new ThinkStripper();
    let producedByThisModel = "";
    try {
      const stream = await client.stream({
        model,
        messages: prompt.messages,
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
      if (usage !== undefined) {
        state.settle(reservation, usage.promptTokens, completionBudget, usage.totalTokens);
        lastUsage = usage;
      }
      state.observeSuccess();
      if (producedByThisModel.trim() === "") {
        // All reasoning and no answer (the budget ran out while thinking): another model may do better.
        attempts.push({ model, outcome: "empty_answer", ms: clock.now() - attemptStartedAt });
        excluded.add(model);
        continue;
      }
      attempts.push({ model, outcome: "answered", ms: clock.now() - attemptStartedAt });
      return { text: produced, model, usage: lastUsage, attempts };
    } catch (error) {
      if (!(error instanceof ModelCallError)) throw error;
      if (error.kind === "rate_limited" || error.kind === "request_too_large") state.release(reservation);
      registry.recordFailure(model, clock.now(), error);
      const brokeMidStream = producedByThisModel !== "";
      attempts.push({
        model,
        outcome: brokeMidStream ? "stream_broken" : error.kind,
        reason: error.message.slice(0, 200),
        ms: clock.now() - attemptStartedAt,
      });
      logger.warn({ model, kind: error.kind, status: error.status, brokeMidStream }, "model call failed; falling back");
      if (error.kind === "aborted" || error.kind === "authentication") throw error;
      if (excludesModelForThisRequest(error) || brokeMidStream) excluded.add(model);
    }
  }
}
