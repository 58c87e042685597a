import type { ModelFailureKind } from "../errors.js";

/**
 * What one failed model call means, decided once for every caller: answers, transcription, the
 * safety screen and the router all read this table, and so do the model's state and the registry.
 * See docs/architecture.md, "What a failure means".
 */
export interface FailureEffects {
  /** The provider refused before charging anything, so our reservation never counted. */
  readonly releasesReservation: boolean;
  /** The same model is not tried again within this request. */
  readonly excludesModelForRequest: boolean;
  /** What the model's state learns: a cooldown, one more strike for the breaker, gone for good. */
  readonly modelEffect: "cool_down" | "count_toward_breaker" | "mark_gone" | "none";
  /** Other processes of the organization must know it too (they would hit the same wall). */
  readonly sharedWithOtherProcesses: boolean;
  /** No other model would do better: the request ends with this failure. */
  readonly endsRequest: boolean;
}

const refusedBeforeRunning = { releasesReservation: true, excludesModelForRequest: true, modelEffect: "none", sharedWithOtherProcesses: false, endsRequest: false } as const;
const serviceFailed = { releasesReservation: false, excludesModelForRequest: true, modelEffect: "count_toward_breaker", sharedWithOtherProcesses: false, endsRequest: false } as const;
const nothingToRetry = { releasesReservation: true, excludesModelForRequest: true, modelEffect: "none", sharedWithOtherProcesses: false, endsRequest: true } as const;

export const failurePolicy: Readonly<Record<ModelFailureKind, FailureEffects>> = {
  // A 429 charges nothing; the cooldown keeps every request off the model until it frees up.
  rate_limited: { releasesReservation: true, excludesModelForRequest: false, modelEffect: "cool_down", sharedWithOtherProcesses: true, endsRequest: false },
  // Larger than this model's whole TPM: another model with a larger limit may take it.
  request_too_large: refusedBeforeRunning,
  context_too_long: refusedBeforeRunning,
  bad_request: refusedBeforeRunning,
  model_gone: { releasesReservation: true, excludesModelForRequest: true, modelEffect: "mark_gone", sharedWithOtherProcesses: true, endsRequest: false },
  // The call may have run (and been charged) before it failed: keep the reservation.
  server_error: serviceFailed,
  timeout: serviceFailed,
  network: serviceFailed,
  aborted: { ...nothingToRetry, releasesReservation: false },
  authentication: nothingToRetry,
};
