import { AttachmentProblem } from "../attachments/prepare-attachments.js";
import { ModelCallError, NoModelAvailableError, type AttemptRecord } from "../errors.js";
import type { FinalReply } from "../reply.js";

const roleDescriptions: Readonly<Record<string, string>> = {
  chat: "chatting",
  logic: "math and reasoning",
  code: "code",
  vision: "images",
  long_context: "long documents",
  transcribe: "voice messages",
  safety: "the safety check",
};

export function describeWait(milliseconds: number): string {
  const seconds = Math.max(1, Math.ceil(milliseconds / 1000));
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}

function tooLargeEverywhere(attempts: readonly AttemptRecord[]): boolean {
  const skipped = attempts.filter((attempt) => attempt.outcome === "skipped" || attempt.outcome === "request_too_large" || attempt.outcome === "context_too_long");
  return (
    skipped.length > 0 &&
    skipped.length === attempts.length &&
    skipped.every((attempt) => attempt.outcome !== "skipped" || /too long|larger than|does not accept/.test(attempt.reason ?? ""))
  );
}

/** Turns any failure into one short reply that says what happened and what to do. */
export function errorReply(error: unknown, attempts: readonly AttemptRecord[]): FinalReply {
  if (error instanceof AttachmentProblem) {
    return { kind: "error", failure: "bad_input", text: error.message, attempts };
  }
  if (error instanceof NoModelAvailableError) {
    const all = [...attempts, ...error.attempts];
    const what = roleDescriptions[error.role] ?? error.role;
    if (error.retryAfterMs === undefined && tooLargeEverywhere(error.attempts)) {
      return {
        kind: "error",
        failure: "no_model_available",
        text: "Your message (with its files and our recent history) is too large for the models I can use right now. Shorten it, send a smaller file, or /reset to drop the history.",
        attempts: all,
      };
    }
    return {
      kind: "error",
      failure: "no_model_available",
      text:
        error.retryAfterMs === undefined
          ? `No model for ${what} is available right now. Please try again later.`
          : `Every model for ${what} is out of quota right now. Please try again in about ${describeWait(error.retryAfterMs)}.`,
      attempts: all,
    };
  }
  if (error instanceof ModelCallError && error.kind === "authentication") {
    return {
      kind: "error",
      failure: "internal",
      text: "Groq refused this bot's API key, so I can't answer. The bot's operator needs to check GROQ_API_KEY.",
      attempts,
    };
  }
  return {
    kind: "error",
    failure: "internal",
    text: "Something went wrong on my side while answering. Please try again; if it keeps happening, tell the bot's operator.",
    attempts,
  };
}
