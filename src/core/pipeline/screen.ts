import type { RequestCost } from "../conversation/request-cost.js";
import type { AttemptRecord } from "../errors.js";
import { wordingOf } from "../language/wording.js";
import { estimateTextTokens } from "../models/token-estimate.js";
import type { Logger } from "../ports/logger.js";
import type { FinalReply } from "../reply.js";
import type { ScreenedContent } from "../safety/safety-prompt.js";
import type { CoreServices } from "../services.js";
import type { PreparedRequest } from "./prepare.js";
import { replyForScreen, tooLargeReply } from "./replies.js";

async function screen(
  subject: "input" | "answer",
  content: ScreenedContent,
  prepared: PreparedRequest,
  services: CoreServices,
  context: { readonly attempts: AttemptRecord[]; readonly cost: RequestCost; readonly log: Logger; readonly signal: AbortSignal | undefined },
): Promise<FinalReply | undefined> {
  const screened = await services.safety.screen(content, context.signal);
  context.attempts.push(...screened.attempts);
  context.cost.add("safety", screened.tokens);
  return replyForScreen(screened.result, subject, services.config.safetyOnOutage, context.attempts, context.log, wordingOf(prepared.request));
}

/** The longest prompt any answer model could take at all: its context window. */
function largestAnswerContext(services: CoreServices): number {
  return Math.max(0, ...services.registry.answerModels().map((model) => services.registry.profile(model).contextWindow));
}

/**
 * Step 5: the safety screen reads everything of the user's turn that a model will see (their
 * words, the quoted message, transcripts, files, images), in parts (safety-screener.ts).
 * Returns the refusal (or the outage policy's reply), or undefined to go on. SAFETY=off skips it.
 *
 * The work is bounded by what could be answered: the screen runs once a model has been
 * selected, and selection only takes a model that can take the whole turn (on Groq's free tier
 * about 8,000 tokens, a model's minute, so a few batched calls). A turn longer than the largest
 * context window of any answer model cannot be answered at all, and is refused here rather than
 * screened in part. So no text reaches a model unscreened: the screen used to read the first
 * 6,000 characters of the text while the model read all of it, and a payload placed past them
 * (deep in a document, or in a quoted message) was answered unread; now every character a
 * model reads is in some screened part, or the message is not answered.
 */
export function screenInput(
  prepared: PreparedRequest,
  services: CoreServices,
  context: { readonly attempts: AttemptRecord[]; readonly cost: RequestCost; readonly log: Logger; readonly signal: AbortSignal | undefined },
): Promise<FinalReply | undefined> {
  if (services.config.safety === "off") return Promise.resolve(undefined);
  if (estimateTextTokens(prepared.textToScreen) > largestAnswerContext(services)) return Promise.resolve(tooLargeReply(context.attempts, wordingOf(prepared.request)));
  return screen("input", { userText: prepared.textToScreen, imageDataUrls: prepared.imageDataUrls }, prepared, services, context);
}

/** With SAFETY=both, the answer is screened too before it is kept; undefined when it may stand. */
export function screenAnswer(
  prepared: PreparedRequest,
  answer: string,
  services: CoreServices,
  context: { readonly attempts: AttemptRecord[]; readonly cost: RequestCost; readonly log: Logger; readonly signal: AbortSignal | undefined },
): Promise<FinalReply | undefined> {
  if (services.config.safety !== "both") return Promise.resolve(undefined);
  return screen("answer", { userText: prepared.request.text || prepared.userText, imageDataUrls: [], assistantText: answer }, prepared, services, context);
}
