import { appendHistory, type StoredTurn } from "../conversation/history.js";
import type { RequestCost } from "../conversation/request-cost.js";
import { inlineDocumentCharacters, storeDocument } from "../conversation/stored-documents.js";
import type { ModelCallResult } from "../generation/run-model-call.js";
import type { KeyValueStore } from "../ports/key-value-store.js";
import type { Logger } from "../ports/logger.js";
import type { FinalReply } from "../reply.js";
import type { AnswerRole } from "../roles.js";
import type { CoreServices } from "../services.js";
import type { PreparedRequest } from "./prepare.js";
import { footer } from "./replies.js";
import { screenAnswer } from "./screen.js";

/** The user's turn as the history keeps it: long files stored once by hash and named, short ones in its text. */
async function storedUserTurn(prepared: PreparedRequest, at: number, store: KeyValueStore): Promise<StoredTurn> {
  const long = prepared.documents.filter((document) => document.length > inlineDocumentCharacters);
  const short = prepared.documents.filter((document) => document.length <= inlineDocumentCharacters);
  const text = [prepared.userWords, ...short].filter((section) => section !== "").join("\n\n");
  if (long.length === 0) return { role: "user", text, at };
  return { role: "user", text, at, documents: await Promise.all(long.map((document) => storeDocument(store, document))) };
}

/**
 * Step 7: the answer screened when SAFETY=both, the exchange kept in the conversation's history,
 * and the final reply. What the request cost is in `context.cost`, charged by the pipeline.
 */
export async function finishAnswer(
  prepared: PreparedRequest,
  role: AnswerRole,
  result: ModelCallResult<string>,
  context: {
    readonly startedAt: number;
    readonly queuedMs: number;
    readonly signal: AbortSignal | undefined;
    readonly log: Logger;
    readonly cost: RequestCost;
  },
  services: CoreServices,
): Promise<FinalReply> {
  const { config, store, clock } = services;
  const attempts = [...result.attempts];
  const withheld = await screenAnswer(prepared, result.outcome, services, { attempts, cost: context.cost, log: context.log, signal: context.signal });
  if (withheld !== undefined) return withheld;
  const now = clock.now();
  await appendHistory(store, prepared.conversationId, [
    await storedUserTurn(prepared, context.startedAt, store),
    { role: "assistant", text: result.outcome, at: now, model: result.model },
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
