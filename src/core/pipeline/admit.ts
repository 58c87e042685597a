import type { MamiConfig } from "../config/config.js";
import { BudgetHold } from "../conversation/usage.js";
import { wordingOf } from "../language/wording.js";
import type { ErrorReply } from "../reply.js";
import { prefixedId, type ChatRequest } from "../request.js";
import type { CoreServices } from "../services.js";
import { admissionEstimate } from "./budget-estimate.js";
import { budgetRefusalReply } from "./replies.js";

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

/**
 * Step 1 for every request, commands and buttons included: the allow-lists, and a button only
 * for the person it was shown to. Undefined to go on.
 */
export function refuseAccess(request: ChatRequest, config: MamiConfig): ErrorReply | undefined {
  const words = wordingOf(request);
  if (!isAllowed(request, config)) return { kind: "error", failure: "not_allowed", text: words.say("access.notAllowed"), attempts: [] };
  if (request.buttonsShownTo !== undefined && request.buttonsShownTo !== request.author.id) {
    return { kind: "error", failure: "not_allowed", text: words.say("access.notYourButtons"), attempts: [] };
  }
  return undefined;
}

/**
 * A hold outlives any request: its queue wait, then an answer and its continuations. One left
 * by a process that died mid-request lapses then, rather than keep the user's budget all day.
 */
function holdLifetimeMs(config: MamiConfig): number {
  return config.maxQueueWaitMs + 10 * 60_000;
}

/** Admitted, with the request's hold on its user's daily budget, or refused. */
export type Admission = { readonly hold: BudgetHold } | { readonly refusal: ErrorReply };

/**
 * Step 1 for an answer: access, then the per-user daily budget, so one user cannot drain the
 * shared quota. The request holds its estimated cost at once, so that concurrent requests see
 * what it will spend; it is refused when that is more than is left (usage.ts says when the rest
 * is taken anyway), and charged what it really cost when it ends (answer.ts).
 */
export async function admitRequest(request: ChatRequest, services: CoreServices): Promise<Admission> {
  const { config, store, clock } = services;
  const refused = refuseAccess(request, config);
  if (refused !== undefined) return { refusal: refused };
  const budget = { userKey: prefixedId(request.location.platform, request.author.id), limit: config.userDailyTokens, lifetimeMs: holdLifetimeMs(config) };
  const taken = await BudgetHold.take(store, clock, budget, admissionEstimate(request, config));
  return taken instanceof BudgetHold ? { hold: taken } : { refusal: budgetRefusalReply(taken, config.userDailyTokens, clock.now(), wordingOf(request)) };
}
