import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { HttpError, type Api, type Transformer } from "grammy";
import type { Logger } from "../../core/ports/logger.js";

/**
 * Keeps the bot within Telegram's limits and recovers when it is not.
 *
 * - New messages: at most one a second per chat and 20 a minute per group (Telegram's documented
 *   limits), 30 a second overall.
 * - Edits: at most one a second per chat. They are paced apart from new messages so that a busy
 *   group's 20-a-minute budget is not spent on streaming edits.
 * - Chat actions, drafts, callback answers and reads are never delayed: they are what makes the
 *   bot feel quick.
 * - A 429 with `retry_after` is waited out and retried, up to `floodRetries.maxAttempts` times
 *   and only when Telegram asks for at most `floodRetries.maxDelaySeconds`: a final answer that
 *   still cannot be sent ends in the adapter's apology, not in a retry loop for hours.
 * - A 5xx or a lost connection is retried once, a second later; a second one reaches the
 *   handler (which apologizes). auto-retry's own handling of both would retry for ever.
 */
export function installFloodControl(api: Api, logger: Logger): void {
  const newMessageThrottle = apiThrottler({
    global: { reservoir: 30, reservoirRefreshAmount: 30, reservoirRefreshInterval: 1000 },
    group: { maxConcurrent: 1, minTime: 1000, reservoir: 20, reservoirRefreshAmount: 20, reservoirRefreshInterval: 60_000 },
    out: { maxConcurrent: 1, minTime: 1000 },
  });
  const editThrottle = apiThrottler({
    global: { reservoir: 30, reservoirRefreshAmount: 30, reservoirRefreshInterval: 1000 },
    group: { maxConcurrent: 1, minTime: 1000 },
    out: { maxConcurrent: 1, minTime: 1000 },
  });
  const newMessageMethods = new Set(["sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup"]);
  const editMethods = new Set(["editMessageText", "editMessageReplyMarkup", "editMessageCaption"]);

  const throttle: Transformer = (previous, method, payload, signal) => {
    if (newMessageMethods.has(method)) return newMessageThrottle(previous, method, payload, signal);
    if (editMethods.has(method)) return editThrottle(previous, method, payload, signal);
    return previous(method, payload, signal);
  };

  const reportFloodControl: Transformer = async (previous, method, payload, signal) => {
    const response = await previous(method, payload, signal);
    if (!response.ok && response.parameters?.retry_after !== undefined) {
      logger.warn({ method, retryAfterSeconds: response.parameters.retry_after }, "Telegram flood control; waiting before retrying");
    }
    return response;
  };

  // Installed innermost first: every retry goes through the throttle again.
  api.config.use(throttle);
  api.config.use(reportFloodControl);
  api.config.use(retryPassingFailureOnce(passingFailureRetryDelayMs));
  // Flood control only: 5xx and lost connections are the transformer above's.
  api.config.use(autoRetry({ ...floodRetries, rethrowInternalServerErrors: true, rethrowHttpErrors: true }));
}

/**
 * Three waits of at most a minute each: Telegram's per-chat and per-group limits ask for
 * seconds, and a minute or more means the chat is flooded; the answer is then given up.
 */
export const floodRetries = { maxRetryAttempts: 3, maxDelaySeconds: 60 } as const;

const passingFailureRetryDelayMs = 1000;

/**
 * auto-retry's own 5xx and connection handling waits 3 s, then 6 s, and so on, without limit for
 * a lost connection; one quick retry is what a passing hiccup needs.
 */
function retryPassingFailureOnce(delayMs: number): Transformer {
  return async (previous, method, payload, signal) => {
    try {
      const first = await previous(method, payload, signal);
      if (first.ok || first.error_code < 500) return first;
    } catch (error) {
      if (!(error instanceof HttpError) || signal?.aborted === true) throw error;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new Error("Request aborted while waiting to retry"));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, delayMs);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    return previous(method, payload, signal);
  };
}
