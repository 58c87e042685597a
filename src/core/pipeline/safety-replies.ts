import type { AttemptRecord } from "../errors.js";
import type { FinalReply } from "../reply.js";
import type { ScreenResult } from "../safety/screen-content.js";
import type { Logger } from "../ports/logger.js";

/**
 * What a screen's verdict means for the reply: a refusal naming the categories, the outage
 * policy's answer, or undefined to go on.
 */
export function replyForScreen(
  result: ScreenResult | undefined,
  subject: "input" | "answer",
  onOutage: "allow" | "block",
  attempts: readonly AttemptRecord[],
  log: Logger,
): FinalReply | undefined {
  if (result?.outcome === "unsafe") {
    log.info({ categories: result.categories, subject }, "refused by the safety screen");
    const opening = subject === "input" ? "I can't help with that" : "I can't share that answer";
    return { kind: "refusal", text: `${opening}: it falls under ${result.categories.join(", ")}.`, refusedCategories: result.categories, attempts };
  }
  if (result?.outcome !== "unavailable") return undefined;
  if (onOutage === "allow") {
    log.warn({ reason: result.reason, subject }, "safety screen unavailable; answering as SAFETY_ON_OUTAGE=allow");
    return undefined;
  }
  log.warn({ reason: result.reason, subject }, "safety screen unavailable; blocking as SAFETY_ON_OUTAGE=block");
  return {
    kind: "error",
    failure: "no_model_available",
    text: "I can't check messages for safety right now, so I'm not answering. Please try again in a minute.",
    attempts,
  };
}
