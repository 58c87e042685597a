import { loadConfig } from "../../../src/core/config/config.js";
import { singleModelId } from "./bench-models.js";

/**
 * Mami's settings for the bench. The test harness has test defaults (no safety screen,
 * heuristic routing, a 2 s queue), so the defaults a real deployment runs with are passed
 * explicitly, read from the configuration itself rather than copied here.
 *
 * HISTORY_MAX_TURNS=0: the burst's messages are independent questions, and the oracle charges
 * each one its own text; history would add earlier answers to every later prompt of a chat, a
 * cost of conversation policy, not of scheduling, that the ceiling does not count.
 */
export function mamiDefaultSettings(): Record<string, string> {
  const defaults = loadConfig({ GROQ_API_KEY: "gsk_defaults_probe" }, "ask");
  return {
    SAFETY: defaults.safety,
    ROUTER_MODE: defaults.routerMode,
    MAX_QUEUE_WAIT_SECONDS: String(defaults.maxQueueWaitMs / 1000),
    HISTORY_MAX_TURNS: "0",
  };
}

/**
 * A bot tied to one model: every answer role has only that model, and no other live model
 * answers when it is spent (EXTRA_MODELS=off); routing and safety as by default.
 */
export function singleModelSettings(): Record<string, string> {
  return {
    ...mamiDefaultSettings(),
    EXTRA_MODELS: "off",
    MODELS_CHAT: singleModelId,
    MODELS_LOGIC: singleModelId,
    MODELS_CODE: singleModelId,
    MODELS_VISION: singleModelId,
    MODELS_LONG_CONTEXT: singleModelId,
  };
}
