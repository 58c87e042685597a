import { failurePolicy } from "./models/failure-policy.js";
import type { RateLimitSnapshot } from "./ports/model-client.js";
import type { Role } from "./roles.js";

/**
 * Every error Mami raises on purpose, with a code that says what happened. Callers decide from
 * the code (and, for a model call, its failure kind), never from the message or the class name.
 */
export type MamiErrorCode =
  /** A model call failed; `ModelCallError.kind` says how (docs/architecture.md, "What a failure means"). */
  | "model_call_failed"
  /** Every model that could serve the request is out of quota or unavailable. */
  | "no_model_available"
  /** What the user sent cannot be used as it is; the message says what to do instead. */
  | "bad_input"
  /** A file was larger than Mami reads. */
  | "attachment_too_large"
  /** A file is not what it claims, or cannot be decoded (a broken image, a damaged PDF). */
  | "unsupported_media"
  /** A setting is missing or invalid; start-up stops and names it. */
  | "invalid_setting";

export abstract class MamiError extends Error {
  abstract readonly code: MamiErrorCode;
}

/**
 * Why a model call failed, as data. failure-policy.ts decides from `kind` alone what follows:
 * cool the model down, skip it for this request, open its breaker, drop it for good, or end.
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

export class ModelCallError extends MamiError {
  override readonly name = "ModelCallError";
  readonly code = "model_call_failed";
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
export class NoModelAvailableError extends MamiError {
  override readonly name = "NoModelAvailableError";
  readonly code = "no_model_available";
  constructor(
    readonly role: string,
    /** Milliseconds until the earliest model is expected to free up; undefined if none will. */
    readonly retryAfterMs: number | undefined,
    readonly attempts: readonly AttemptRecord[],
    /** Tokens the calls made before it came to this cost (the fallback engine fills it in). */
    readonly spentTokens = 0,
  ) {
    super(
      retryAfterMs === undefined
        ? `No model of the ${role} role is available.`
        : `Every model of the ${role} role is busy; retry in ${Math.ceil(retryAfterMs / 1000)} s.`,
    );
  }
}

/** What the user sent cannot be used; the message is the reply, saying what to do instead. */
export class BadInputError extends MamiError {
  override readonly name = "BadInputError";
  readonly code = "bad_input";
}

export class AttachmentTooLargeError extends MamiError {
  override readonly name = "AttachmentTooLargeError";
  readonly code = "attachment_too_large";
  constructor(
    readonly attachmentName: string,
    readonly limitBytes: number,
  ) {
    super(`${attachmentName} is larger than ${Math.round(limitBytes / 1024 / 1024)} MB.`);
  }
}

/**
 * What a media reader could not do, as data, so that the user is told it in their language
 * (core/attachments/media-problem.ts); the error's message is the English, for logs.
 */
export type MediaProblem =
  | { readonly kind: "not_pdf" | "pdf_damaged" | "pdf_password" | "pdf_too_big" | "image_unsupported" | "image_damaged" }
  | { readonly kind: "pdf_too_slow"; readonly timeLimitMs: number }
  | { readonly kind: "image_too_heavy"; readonly maxBytes: number }
  | { readonly kind: "image_too_many_pixels"; readonly width: number; readonly height: number; readonly megapixels: number }
  | { readonly kind: "image_over_budget"; readonly width: number; readonly height: number; readonly megapixelsLeft: number };

/** Raised by the media ports: the file is not what it claims, or cannot be read within limits. */
export class UnsupportedMediaError extends MamiError {
  override readonly name = "UnsupportedMediaError";
  readonly code = "unsupported_media";
  constructor(
    message: string,
    readonly problem: MediaProblem,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A setting is missing or invalid: one line per problem, each naming the variable. */
export class ConfigError extends MamiError {
  override readonly name = "ConfigError";
  readonly code = "invalid_setting";
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
  }
}

/** The outcome of one model tried while serving a request: shown in `mami ask` and logs. */
export interface AttemptRecord {
  readonly model: string;
  /** The role the call served: an answer's, or a service's (the safety screen, the router). */
  readonly role: Role;
  /** `budget_reached`: the answer stopped at its completion budget and was continued. */
  readonly outcome: "answered" | "skipped" | ModelFailureKind | "stream_broken" | "empty_answer" | "unreadable_answer" | "budget_reached";
  /** Why it was skipped without a call (quota spent, cooling down, context too small). */
  readonly reason?: string;
  readonly ms: number;
}
