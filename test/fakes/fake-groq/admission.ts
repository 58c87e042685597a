/**
 * The checks between a well-formed request and its answer, in Groq's order:
 * model gone → injected failure → 413 (larger than the whole TPM) → context window → RPM → RPD → TPM → TPD.
 * Every refusal charges nothing.
 */
import type { CallInProgress } from "./call-in-progress.js";
import {
  contextLengthExceededError,
  modelDecommissionedError,
  modelNotFoundError,
  rateLimitError,
  requestTooLargeError,
  serverError,
} from "./groq-errors.js";
import type { ExhaustedLimit } from "./model-limits.js";
import type { FakeModelSpec } from "./types.js";

/** Answers 404 / 400 when the model is unknown or gone; otherwise returns its spec. */
export function refuseGoneModel(call: CallInProgress, model: string): FakeModelSpec | undefined {
  const spec = call.state.spec(model);
  const status = call.state.status(model);
  if (spec === undefined || status === "not_found") {
    call.fail(404, modelNotFoundError(model));
    return undefined;
  }
  if (status === "decommissioned") {
    call.fail(400, modelDecommissionedError(model));
    return undefined;
  }
  return spec;
}

export interface RequestCost {
  promptTokens: number;
  /** Charged against TPM before the request runs: prompt + completion budget. */
  upFrontTokens: number;
  /** Chat checks the prompt against the context window; transcription has no prompt. */
  checkContextWindow: boolean;
}

/** Returns true when the call has been answered (or deliberately left hanging) and must go no further. */
export function refuseBeforeAdmission(call: CallInProgress, spec: FakeModelSpec, cost: RequestCost): boolean {
  if (answerInjectedFailure(call, spec, cost)) return true;

  const quota = call.state.quota(spec.id);
  if (quota.isTooLargeForMinuteWindow(cost.upFrontTokens)) {
    call.fail(413, requestTooLargeError(spec.id, spec.tokensPerMinute, cost.upFrontTokens));
    return true;
  }
  if (cost.checkContextWindow && cost.promptTokens > spec.contextWindow) {
    call.fail(400, contextLengthExceededError(spec.contextWindow, cost.promptTokens));
    return true;
  }
  const exhausted = quota.findExhaustedLimit(cost.upFrontTokens, cost.upFrontTokens);
  if (exhausted !== undefined) {
    answerRateLimited(call, spec, exhausted);
    return true;
  }
  return false;
}

/** Uses up a queued drop_stream failure, which strikes only once the request has been admitted. */
export function takeDropFailure(call: CallInProgress, model: string): { afterChunks: number } | undefined {
  const next = call.state.failures.next(model);
  if (next?.kind !== "drop_stream") return undefined;
  call.state.failures.consume(model);
  return { afterChunks: next.afterChunks };
}

/** Uses up a queued rate_limit_headers failure, which spoils the headers of an answer that is otherwise normal. */
export function takeHeaderFailure(call: CallInProgress, model: string): "missing" | "garbled" | undefined {
  const next = call.state.failures.next(model);
  if (next?.kind !== "rate_limit_headers") return undefined;
  call.state.failures.consume(model);
  return next.headers;
}

function answerInjectedFailure(call: CallInProgress, spec: FakeModelSpec, cost: RequestCost): boolean {
  const failures = call.state.failures;
  const failure = failures.next(spec.id);
  if (failure === undefined || failure.kind === "drop_stream" || failure.kind === "rate_limit_headers") return false;
  failures.consume(spec.id);
  switch (failure.kind) {
    case "reset":
      call.record(0, "reset");
      call.dropConnection();
      return true;
    case "malformed_body":
      call.record(200, "malformed_body");
      call.sendMalformedBody();
      return true;
    case "status":
      call.fail(failure.status, serverError(failure.status), {}, "status");
      return true;
    case "hang":
      // Recorded with status 0; the socket stays open until the client gives up or close() destroys it.
      call.record(0, "hang");
      return true;
    case "rate_limit": {
      const usage = call.state.quota(spec.id).usage();
      const minute = failure.window === "minute";
      answerRateLimited(
        call,
        spec,
        {
          name: minute ? "TPM" : "TPD",
          limit: minute ? spec.tokensPerMinute : spec.tokensPerDay,
          used: minute ? usage.tokensLastMinute : usage.tokensToday,
          requested: cost.upFrontTokens,
          waitMilliseconds: failure.retryAfterSeconds * 1000,
        },
        "rate_limit",
      );
      return true;
    }
  }
}

function answerRateLimited(call: CallInProgress, spec: FakeModelSpec, exhausted: ExhaustedLimit, injected?: "rate_limit"): void {
  // retry-after is whole seconds, rounded up, and never 0 for a request that was just refused.
  const retryAfterSeconds = Math.max(1, Math.ceil(exhausted.waitMilliseconds / 1000));
  call.fail(429, rateLimitError(spec.id, exhausted), { "retry-after": String(retryAfterSeconds) }, injected);
}
