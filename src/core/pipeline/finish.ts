import { appendHistory } from "../conversation/history.js";
import { recordUsage } from "../conversation/usage.js";
import type { ModelCallResult } from "../generation/run-model-call.js";
import type { Logger } from "../ports/logger.js";
import type { FinalReply } from "../reply.js";
import { prefixedId } from "../request.js";
import type { AnswerRole } from "../roles.js";
import type { CoreServices } from "../services.js";
import type { PreparedRequest } from "./prepare.js";
import { footer } from "./replies.js";
import { screenAnswer } from "./screen.js";

/**
 * Step 7: the answer screened when SAFETY=both, the exchange kept in the conversation's history,
 * the tokens counted against the user's day, and the final reply.
 */
export async function finishAnswer(
  prepared: PreparedRequest,
  role: AnswerRole,
  result: ModelCallResult<string>,
  context: { readonly startedAt: number; readonly queuedMs: number; readonly signal: AbortSignal | undefined; readonly log: Logger },
  services: CoreServices,
): Promise<FinalReply> {
  const { config, store, clock } = services;
  const attempts = [...result.attempts];
  const withheld = await screenAnswer(prepared, result.outcome, services, attempts, context.log, context.signal);
  if (withheld !== undefined) return withheld;
  const now = clock.now();
  const { request } = prepared;
  await Promise.all([
    appendHistory(store, prepared.conversationId, [
      { role: "user", text: prepared.userText, at: context.startedAt },
      { role: "assistant", text: result.outcome, at: now, model: result.model },
    ]),
    recordUsage(store, prefixedId(request.location.platform, request.author.id), now, result.model, result.usage?.totalTokens ?? 0),
  ]);
  context.log.info({ role, model: result.model, ms: now - context.startedAt, tokens: result.usage?.totalTokens, continuations: result.continuations, tried: attempts.length }, "answered");
  return {
    kind: "answer",
    text: prepared.heardNote + result.outcome + (config.replyFooter ? footer(result.model, role) : ""),
    role,
    model: result.model,
    usage: result.usage,
    attempts,
    continuations: result.continuations,
    queuedMs: context.queuedMs,
  };
}
