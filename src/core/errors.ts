import { failurePolicy } from "./models/failure-policy.js";
import type { RateLimitSnapshot } from "./ports/model-client.js";

/**
 * Why a model call failed, as data. The selector decides from `kind` alone what to do with the
 * model (cool it down, skip it for this request, open its breaker, drop it for good).
 */
export type ModelFailureKind =
  /** 429: a per-minute or per-day limit of this model is spent. */
  | "rate_limited"
  /** 413: this one request is larger than the model's whole TPM; another model may take it. */
  | "request_too_large"
  /** model_decommissioned / model_not_found: gone for the life of the process. */
  | "model_gone"
  /** The prompt does not fit this model's context window. */
  | "context_too_long"
  /** 5xx or 498: the service is overloaded or failing. */
  | "server_error"
  | "timeout"
  /** The connection failed or dropped: the network, not the service, refused. */
  | "network"
  /** Our own abort (the user went away, or shutdown). */
  | "aborted"
  /** 401/403: the key is wrong; no model will do better. */
  | "authentication"
  /** Any other 4xx: this request is malformed for this model. */
  | "bad_request";

export type RateLimitWindow = "minute" | "day";

export interface ModelCallErrorDetails {
  readonly kind: ModelFailureKind;
  readonly model: string;
  readonly status?: number;
  /** How long the provider says to wait, from `retry-after` or the message text. */
  readonly retryAfterMs?: number;
  /** For `rate_limited`: whether a per-minute or a per-day limit was hit. */
  readonly window?: RateLimitWindow;
  readonly rateLimits?: RateLimitSnapshot;
  readonly cause?: unknown;
}

export class ModelCallError extends Error {
  override readonly name = "ModelCallError";
  readonly kind: ModelFailureKind;
  readonly model: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly window: RateLimitWindow | undefined;
  readonly rateLimits: RateLimitSnapshot | undefined;

  constructor(message: string, details: ModelCallErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.model = details.model;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.window = details.window;
    this.rateLimits = details.rateLimits;
  }

  /** Whether another model (or this one, later) may succeed where this call failed. */
  get isRetryable(): boolean {
    return !failurePolicy[this.kind].endsRequest;
  }
}

/** Every model that could serve the request is out of quota or unavailable. */
export class NoModelAvailableError extends Error {
  override readonly name = "NoModelAvailableError";
  constructor(
    readonly role: string,
    /** Milliseconds until the earliest model is expected to free up; undefined if none will. */
    readonly retryAfterMs: number | undefined,
    readonly attempts: readonly AttemptRecord[],
  ) {
    super(
      retryAfterMs === undefined
        ? `No model of the ${role} role is available.`
        : `Every model of the ${role} role is busy; retry in ${Math.ceil(retryAfterMs / 1000)} s.`,
    );
  }
}

export class AttachmentTooLargeError extends Error {
  override readonly name = "AttachmentTooLargeError";
  constructor(
    readonly attachmentName: string,
    readonly limitBytes: number,
  ) {
    super(`${attachmentName} is larger than ${Math.round(limitBytes / 1024 / 1024)} MB.`);
  }
}

/** The outcome of one model tried while serving a request: shown in `mami ask` and logs. */
export interface AttemptRecord {
  readonly model: string;
  /** `budget_reached`: the answer stopped at its completion budget and was continued. */
  readonly outcome: "answered" | "skipped" | ModelFailureKind | "stream_broken" | "empty_answer" | "budget_reached";
  /** Why it was skipped without a call (quota spent, cooling down, context too small). */
  readonly reason?: string;
  readonly ms: number;
}
