import { autoRetry } from "@grammyjs/auto-retry";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import type { Api, Transformer } from "grammy";
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
 * - Any 429 with `retry_after` is waited out and retried, without limit: the final answer must
 *   never be lost to flood control.
 * - A 5xx is retried once, a second later; a second one reaches the handler (which apologizes)
 *   rather than holding the chat's queue for ever.
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
  api.config.use(retryServerErrorOnce(serverErrorRetryDelayMs));
  // Flood control and lost connections, retried until they succeed.
  api.config.use(autoRetry({ rethrowInternalServerErrors: true }));
}

const serverErrorRetryDelayMs = 1000;

/**
 * auto-retry's own 5xx handling waits 3 s, then 6 s, and so on, before it even checks its attempt
 * limit; one quick retry is what a passing server hiccup needs.
 */
function retryServerErrorOnce(delayMs: number): Transformer {
  return async (previous, method, payload, signal) => {
    const first = await previous(method, payload, signal);
    if (first.ok || first.error_code < 500) return first;
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
