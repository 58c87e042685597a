import type { MamiConfig } from "../config/config.js";
import { loadUsage, untilNextUsageDay } from "../conversation/usage.js";
import type { ErrorReply } from "../reply.js";
import { prefixedId, type ChatRequest } from "../request.js";
import type { CoreServices } from "../services.js";
import { describeWait } from "./replies.js";

export function isAdmin(request: ChatRequest, config: MamiConfig): boolean {
  return config.adminUsers.includes(prefixedId(request.location.platform, request.author.id));
}

/**
 * Allow-lists: with neither list set everyone is allowed; otherwise a listed user is allowed
 * anywhere and anyone is allowed in a listed chat. Admins always pass; the terminal is its
 * operator's own.
 */
export function isAllowed(request: ChatRequest, config: MamiConfig): boolean {
  if (request.location.platform === "cli" || isAdmin(request, config)) return true;
  const userId = prefixedId(request.location.platform, request.author.id);
  const chatId = prefixedId(request.location.platform, request.location.chatId);
  if (config.allowedUsers.length === 0 && config.allowedChats.length === 0) return true;
  return config.allowedUsers.includes(userId) || config.allowedChats.includes(chatId);
}

const notAllowedReply: ErrorReply = {
  kind: "error",
  failure: "not_allowed",
  text: "Sorry, I'm not enabled for you here. Ask the bot's operator for access.",
  attempts: [],
};

/**
 * Step 1 for every request, commands and buttons included: the allow-lists, and a button only
 * for the person it was shown to. Undefined to go on.
 */
export function refuseAccess(request: ChatRequest, config: MamiConfig): ErrorReply | undefined {
  if (!isAllowed(request, config)) return notAllowedReply;
  if (request.buttonsShownTo !== undefined && request.buttonsShownTo !== request.author.id) {
    return { kind: "error", failure: "not_allowed", text: "Those buttons belong to whoever asked for them. Send the command yourself for your own.", attempts: [] };
  }
  return undefined;
}

/** Step 1 for an answer: access, then the per-user daily budget, so one user cannot drain the shared quota. */
export async function refuseAdmission(request: ChatRequest, services: CoreServices): Promise<ErrorReply | undefined> {
  const { config, store, clock } = services;
  const refused = refuseAccess(request, config);
  if (refused !== undefined || config.userDailyTokens <= 0) return refused;
  const usage = await loadUsage(store, prefixedId(request.location.platform, request.author.id), clock.now());
  if (usage.tokens < config.userDailyTokens) return undefined;
  const retryAfterMs = untilNextUsageDay(clock.now());
  return {
    kind: "error",
    failure: "budget_spent",
    text: `You have used your ${config.userDailyTokens} tokens for today, so others get their share too. Your budget resets in about ${describeWait(retryAfterMs)}.`,
    retryAfterMs,
    attempts: [],
  };
}
