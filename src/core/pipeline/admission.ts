import { loadUsage, untilNextUsageDay } from "../conversation/usage.js";
import type { CoreServices } from "../core-services.js";
import type { FinalReply } from "../reply.js";
import { prefixedId, type ChatRequest } from "../request.js";
import { isAllowed } from "./access.js";
import { describeWait } from "./error-replies.js";

/** Step 1: allow-lists and the per-user daily budget. Returns the refusal, or undefined to go on. */
export async function refuseAdmission(request: ChatRequest, services: CoreServices): Promise<FinalReply | undefined> {
  const { config, store, clock } = services;
  if (!isAllowed(request, config)) {
    return { kind: "error", failure: "not_allowed", text: "Sorry, I'm not enabled for you here. Ask the bot's operator for access.", attempts: [] };
  }
  if (config.userDailyTokens <= 0) return undefined;
  const usage = await loadUsage(store, prefixedId(request.location.platform, request.author.id), clock.now());
  if (usage.tokens < config.userDailyTokens) return undefined;
  return {
    kind: "error",
    failure: "budget_spent",
    text: `You have used your ${config.userDailyTokens} tokens for today, so others get their share too. Your budget resets in about ${describeWait(untilNextUsageDay(clock.now()))}.`,
    attempts: [],
  };
}
