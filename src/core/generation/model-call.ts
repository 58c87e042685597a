import type { ModelProfile } from "../models/catalog.js";
import type { ModelState, Reservation } from "../models/model-state.js";
import type { ModelMessage, RateLimitSnapshot, TokenUsage } from "../ports/model-client.js";
import type { Role } from "../roles.js";

/** What one model would be sent for a call, and what that costs it up front. */
export interface CallPlan {
  readonly messages: readonly ModelMessage[];
  /** Estimated prompt tokens, before the estimate margin. */
  readonly promptTokens: number;
  readonly completionBudget: number;
}

export type CallFit = { readonly fits: true; readonly plan: CallPlan } | { readonly fits: false; readonly reason: string };

/** A model taken for a call: its plan, and the quota reserved for it until the call settles. */
export interface SelectedModel {
  readonly model: string;
  readonly profile: ModelProfile;
  readonly plan: CallPlan;
  readonly reservation: Reservation;
}

/** What a call shows while it runs: the provider's rate-limit headers as soon as they come, and text. */
export type SendEvent = { readonly kind: "headers"; readonly rateLimits: RateLimitSnapshot } | { readonly kind: "text"; readonly text: string };

/** How one call to one model ended (a failure is thrown as `ModelCallError` instead). */
export type SendResult<Outcome> =
  | { readonly kind: "done"; readonly outcome: Outcome; readonly usage: TokenUsage | undefined }
  /**
   * The job needs another call: the answer stopped at its completion budget (it is continued,
   * on this model or the next with quota), the model gave no answer at all, or one the job
   * cannot read (`excludeModel` when another model should try instead).
   */
  | {
      readonly kind: "again";
      readonly reason: "budget_reached" | "empty_answer" | "unreadable_answer";
      readonly excludeModel: boolean;
      readonly usage: TokenUsage | undefined;
    };

/** What the fallback engine needs to know of a job before any model is chosen. */
export interface CallSpec {
  /** The chain it draws from, for replies ("every model for code is busy") and logs. */
  readonly role: Role;
  /** Models to try, best first. */
  readonly candidates: readonly string[];
  readonly needsImages: boolean;
  /** When the request arrived: its place in the quota queue and the start of its wait. */
  readonly arrivedAt: number;
  /** The longest it may wait in the queue to start, counted from `arrivedAt`; 0 to never wait. */
  readonly maxQueueWaitMs: number;
  /**
   * For an answer under way (continued, or broken off): how long from `arrivedAt` it may still
   * wait for a model to go on. The user is already reading it; when absent, `maxQueueWaitMs`.
   */
  readonly maxContinueWaitMs?: number;
  readonly timeoutMs: number;
  /** Models to call at most (the router makes one short call); unlimited when absent. */
  readonly maxCalls?: number;
}

/**
 * One job for the models of a role: an answer, a safety screen, a router decision, a
 * transcription. The fallback engine (run-model-call.ts) owns selection, queueing, retries and
 * what a failure means; a job only says what it would send to a model and how to send it.
 */
export interface ModelCall<Outcome> {
  readonly spec: CallSpec;
  /** What this model would be sent at `now`, or why it cannot take the call. A pure function of the job's and the model's state. */
  fit(profile: ModelProfile, state: ModelState, now: number): CallFit;
  /** Makes the call on the selected model. Throws `ModelCallError` when the call fails. */
  send(selected: SelectedModel, signal: AbortSignal | undefined): AsyncGenerator<SendEvent, SendResult<Outcome>>;
  /** When no model can take the job any more: what is worth returning anyway (an answer cut short), if anything. */
  salvage?(): Outcome | undefined;
}
