import { ModelCallError, NoModelAvailableError, type AttemptRecord } from "../errors.js";
import { failurePolicy } from "../models/failure-policy.js";
import type { ModelRegistry } from "../models/model-registry.js";
import { estimateTextTokens } from "../models/token-estimate.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { TokenUsage } from "../ports/model-client.js";
import type { Role } from "../roles.js";
import type { ModelSelector, Selection } from "../selection/model-selector.js";
import type { QuotaQueue } from "../selection/quota-queue.js";
import type { ModelCall, SelectedModel } from "./model-call.js";

/** What the engine needs: the models' bookkeeping, the queue in front of them, time and a log. */
export interface ModelCallServices {
  readonly registry: ModelRegistry;
  readonly selector: ModelSelector;
  readonly queue: QuotaQueue;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * What a job shows while it runs: text as it comes, or that it waits in the quota queue and about
 * how long (`underWay`: an answer already partly shown, waiting to go on).
 */
export type ModelCallEvent = { readonly kind: "text"; readonly text: string } | { readonly kind: "queued"; readonly waitMs: number; readonly underWay: boolean };

export interface ModelCallResult<Outcome> {
  readonly outcome: Outcome;
  /** The model that made the last call. */
  readonly model: string;
  /** Summed over every call that went into the outcome (continuations too). */
  readonly usage: TokenUsage | undefined;
  readonly attempts: readonly AttemptRecord[];
  /** Calls that went on with an answer that had reached its completion budget. */
  readonly continuations: number;
  /** What the job cost in tokens, every call it made included (see `callCost`): what a user's daily budget is charged. */
  readonly spentTokens: number;
}

/**
 * What one call cost: the usage it reported, or, for a call that broke off after sending text,
 * its prompt and the text it sent (Groq ran it, and the user saw the text). A call that failed
 * before any text is not counted: whether it ran at all is unknown, and it gave the user nothing.
 */
function callCost(usage: TokenUsage | undefined, promptTokens: number, text: string): number {
  return usage?.totalTokens ?? (text === "" ? 0 : promptTokens + estimateTextTokens(text));
}

/** Every call of a job counts: continuations and retried answers are paid for too. */
export function addUsage(total: TokenUsage | undefined, usage: TokenUsage | undefined): TokenUsage | undefined {
  if (usage === undefined) return total;
  if (total === undefined) return usage;
  return {
    promptTokens: total.promptTokens + usage.promptTokens,
    completionTokens: total.completionTokens + usage.completionTokens,
    totalTokens: total.totalTokens + usage.totalTokens,
    cachedPromptTokens: (total.cachedPromptTokens ?? 0) + (usage.cachedPromptTokens ?? 0),
  };
}

function recordSkipped(selection: Selection, role: Role, attempts: AttemptRecord[]): void {
  for (const skip of selection.skipped) {
    // One line per model: a model that already failed in this request is not listed again as skipped.
    if (!attempts.some((attempt) => attempt.model === skip.model)) {
      attempts.push({ model: skip.model, role, outcome: "skipped", reason: skip.reason, ms: 0 });
    }
  }
}

/**
 * Takes the best candidate that has quota now, or waits in the quota queue for one, telling the
 * caller at once about how long. A wait that would end after the job's deadline is refused at
 * once with the time to retry, rather than kept until it times out.
 */
export async function* acquireModel(
  call: ModelCall<unknown>,
  services: ModelCallServices,
  excluded: ReadonlySet<string>,
  attempts: AttemptRecord[],
  signal?: AbortSignal,
  /** An answer already under way (continued, or broken off) waits its turn rather than be refused early. */
  underWay = false,
): AsyncGenerator<ModelCallEvent, SelectedModel> {
  const { registry, queue, clock } = services;
  await registry.refreshShared(clock.now());
  const request = { call, excluded, underWay };
  const selection = await queue.selectNow(request, call.spec.arrivedAt);
  recordSkipped(selection, call.spec.role, attempts);
  if (selection.kind === "selected") return selection;
  const now = clock.now();
  // Undefined only when no candidate could ever take it; models held for requests that arrived
  // earlier still count, since this one waits behind them.
  const estimate = queue.estimateWaitMs(request, call.spec.arrivedAt);
  if (estimate === undefined) throw new NoModelAvailableError(call.spec.role, undefined, attempts);
  const deadlineAt = call.spec.arrivedAt + (underWay ? (call.spec.maxContinueWaitMs ?? call.spec.maxQueueWaitMs) : call.spec.maxQueueWaitMs);
  if (now + estimate > deadlineAt && !underWay) throw new NoModelAvailableError(call.spec.role, Math.max(estimate, 1_000), attempts);
  yield { kind: "queued", waitMs: estimate, underWay };
  const waited = await queue.wait(request, call.spec.arrivedAt, deadlineAt, signal);
  if (waited.kind === "selected") return waited;
  // The wait ran out: say when trying again may work, from the models' minutes as they stand now.
  const stillToWait = queue.estimateWaitMs(request, call.spec.arrivedAt) ?? (waited.earliestAvailableAt === undefined ? undefined : waited.earliestAvailableAt - clock.now());
  throw new NoModelAvailableError(call.spec.role, stillToWait === undefined ? undefined : Math.max(1_000, stillToWait), attempts);
}

/**
 * The one fallback engine. Every model call (answers and their continuations, the safety
 * screen, the router, transcription) runs here: take the best candidate with quota (or wait
 * for one), make the call, and when it fails apply failure-policy.ts (release or keep the
 * reservation, exclude or cool down the model) and move to the next candidate at once. A job
 * that asks for another call (an answer cut at its budget) gets one, on the same model or the
 * next with quota. `first` is a model the caller already acquired (the pipeline screens the
 * message in between).
 */
export async function* runModelCall<Outcome>(
  call: ModelCall<Outcome>,
  services: ModelCallServices,
  options: { readonly signal?: AbortSignal | undefined; readonly first?: SelectedModel; readonly attempts?: readonly AttemptRecord[] } = {},
): AsyncGenerator<ModelCallEvent, ModelCallResult<Outcome>> {
  const { registry, queue, clock, logger } = services;
  const { signal } = options;
  const attempts: AttemptRecord[] = [...(options.attempts ?? [])];
  const excluded = new Set<string>();
  let usage: TokenUsage | undefined;
  let continuations = 0;
  let spentTokens = 0;
  let textShownBefore = false;
  let next = options.first;
  for (;;) {
    signal?.throwIfAborted();
    let selected: SelectedModel;
    if (next !== undefined) {
      selected = next;
      next = undefined;
    } else {
      const calls = attempts.filter((attempt) => attempt.outcome !== "skipped").length;
      try {
        if (call.spec.maxCalls !== undefined && calls >= call.spec.maxCalls) throw new NoModelAvailableError(call.spec.role, undefined, attempts);
        selected = yield* acquireModel(call, services, excluded, attempts, signal, textShownBefore);
      } catch (error) {
        const salvaged = error instanceof NoModelAvailableError ? call.salvage?.() : undefined;
        if (salvaged === undefined) {
          // What the calls before cost goes with the error, so the user's budget is charged for them too.
          throw error instanceof NoModelAvailableError ? new NoModelAvailableError(error.role, error.retryAfterMs, error.attempts, spentTokens) : error;
        }
        // The model that wrote what is kept: the last one called, not one skipped after it.
        const lastCalled = attempts.filter((attempt) => attempt.outcome !== "skipped").at(-1);
        return { outcome: salvaged, model: lastCalled?.model ?? "", usage, attempts, continuations, spentTokens };
      }
    }

    const { model, plan, reservation } = selected;
    const state = registry.state(model);
    const startedAt = clock.now();
    state.markSent(reservation, startedAt);
    let textShown = false;
    let callText = "";
    try {
      const sending = call.send(selected, signal);
      let step = await sending.next();
      for (; step.done !== true; step = await sending.next()) {
        if (step.value.kind === "headers") {
          registry.recordHeaders(model, clock.now(), step.value.rateLimits, startedAt, reservation);
        } else {
          textShown = true;
          textShownBefore = true;
          callText += step.value.text;
          yield { kind: "text", text: step.value.text };
        }
      }
      const result = step.value;
      if (result.usage !== undefined) {
        state.settle(reservation, result.usage, plan.completionBudget, clock.now());
        // A reservation settled below what it held frees quota for whoever waits.
        queue.quotaFreed();
      }
      usage = addUsage(usage, result.usage);
      spentTokens += callCost(result.usage, plan.promptTokens, callText);
      state.observeSuccess();
      const ms = clock.now() - startedAt;
      if (result.kind === "done") {
        attempts.push({ model, role: call.spec.role, outcome: "answered", ms });
        return { outcome: result.outcome, model, usage, attempts, continuations, spentTokens };
      }
      attempts.push({ model, role: call.spec.role, outcome: result.reason, ms });
      if (result.reason === "budget_reached") continuations += 1;
      if (result.excludeModel) excluded.add(model);
    } catch (error) {
      if (!(error instanceof ModelCallError)) throw error;
      spentTokens += callCost(undefined, plan.promptTokens, callText);
      const effects = failurePolicy[error.kind];
      if (effects.releasesReservation) {
        state.release(reservation);
        queue.quotaFreed();
      }
      registry.recordFailure(model, clock.now(), error);
      attempts.push({
        model,
        role: call.spec.role,
        outcome: textShown ? "stream_broken" : error.kind,
        reason: error.message.slice(0, 200),
        ms: clock.now() - startedAt,
      });
      logger.warn({ model, role: call.spec.role, kind: error.kind, status: error.status, brokeMidStream: textShown }, "model call failed; falling back");
      if (effects.endsRequest) throw error;
      // A model that broke off mid-answer is not asked to continue its own broken answer.
      if (effects.excludesModelForRequest || textShown) excluded.add(model);
    }
  }
}

/** Runs a job to its end without showing text (service calls: router, safety, transcription). */
export async function completeModelCall<Outcome>(
  call: ModelCall<Outcome>,
  services: ModelCallServices,
  signal?: AbortSignal,
): Promise<ModelCallResult<Outcome>> {
  const running = runModelCall(call, services, { signal });
  for (;;) {
    const step = await running.next();
    if (step.done === true) return step.value;
  }
}
