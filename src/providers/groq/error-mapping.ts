import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "groq-sdk";
import { ModelCallError, type ModelFailureKind, type RateLimitWindow } from "../../core/errors.js";
import { parseGoDuration } from "./go-duration.js";
import { readRateLimitHeaders } from "./rate-limit-headers.js";

interface GroqErrorBody {
  readonly error?: { readonly message?: string; readonly code?: string; readonly type?: string };
  readonly message?: string;
  readonly code?: string;
}

function bodyOf(error: APIError<number | undefined, Headers | undefined, object | undefined>): { message: string; code: string | undefined } {
  const body = (error.error ?? {}) as GroqErrorBody;
  const inner = body.error ?? body;
  return { message: inner.message ?? error.message, code: inner.code };
}

/** "Please try again in 9m38.016s." → milliseconds. */
function waitNamedInMessage(message: string): number | undefined {
  const match = /try again in ([0-9.hmsµun]+)/i.exec(message);
  return match?.[1] === undefined ? undefined : parseGoDuration(match[1].replace(/\.$/, ""));
}

function windowNamedInMessage(message: string): RateLimitWindow {
  return /per day|\(RPD\)|\(TPD\)/i.test(message) ? "day" : "minute";
}

function kindOf(status: number | undefined, code: string | undefined, message: string): ModelFailureKind {
  if (code === "model_decommissioned" || code === "model_not_found") return "model_gone";
  if (status === 429) return "rate_limited";
  if (status === 413 || /request too large/i.test(message)) return "request_too_large";
  if (code === "context_length_exceeded" || /context length|context window|reduce the length/i.test(message)) return "context_too_long";
  if (status === 401) return "authentication";
  // 403 on one model means the organization may not use it: as good as gone for us.
  if (status === 403 || status === 404) return "model_gone";
  if (status === undefined || status >= 500 || status === 498) return "server_error";
  return "bad_request";
}

/**
 * Translates anything groq-sdk throws into a `ModelCallError`, keeping whether the service
 * refused (a status and Groq's own words) or the network failed.
 */
export function toModelCallError(error: unknown, model: string, timedOut: boolean): ModelCallError {
  if (error instanceof ModelCallError) return error;
  if (error instanceof APIUserAbortError || (error instanceof Error && error.name === "AbortError")) {
    return timedOut
      ? new ModelCallError(`${model} did not answer in time`, { kind: "timeout", model, cause: error })
      : new ModelCallError(`The request to ${model} was cancelled`, { kind: "aborted", model, cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ModelCallError(`${model} did not answer in time`, { kind: "timeout", model, cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new ModelCallError(`Could not reach Groq for ${model}: ${error.message}`, { kind: "network", model, cause: error });
  }
  if (error instanceof APIError) {
    const apiError = error as APIError<number | undefined, Headers | undefined, object | undefined>;
    const status = typeof apiError.status === "number" ? apiError.status : undefined;
    const { message, code } = bodyOf(apiError);
    const kind = kindOf(status, code, message);
    const headerWait = Number(apiError.headers?.get("retry-after") ?? Number.NaN) * 1000;
    const retryAfterMs = waitNamedInMessage(message) ?? (Number.isFinite(headerWait) ? headerWait : undefined);
    return new ModelCallError(message, {
      kind,
      model,
      ...(status === undefined ? {} : { status }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(kind === "rate_limited" ? { window: windowNamedInMessage(message) } : {}),
      rateLimits: readRateLimitHeaders(apiError.headers),
      cause: error,
    });
  }
  if (timedOut) return new ModelCallError(`${model} stopped sending in time`, { kind: "timeout", model, cause: error });
  const text = error instanceof Error ? error.message : String(error);
  return new ModelCallError(`The connection to Groq broke while ${model} was answering: ${text}`, { kind: "network", model, cause: error });
}
