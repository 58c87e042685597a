import type { AttemptRecord } from "../errors.js";
import type { Logger } from "../ports/logger.js";
import type { FinalReply } from "../reply.js";
import type { ScreenedContent } from "../safety/safety-prompt.js";
import type { CoreServices } from "../services.js";
import type { PreparedRequest } from "./prepare.js";
import { replyForScreen } from "./replies.js";

async function screen(
  subject: "input" | "answer",
  content: ScreenedContent,
  services: CoreServices,
  attempts: AttemptRecord[],
  log: Logger,
  signal: AbortSignal | undefined,
): Promise<FinalReply | undefined> {
  const screened = await services.safety.screen(content, signal);
  attempts.push(...screened.attempts);
  return replyForScreen(screened.result, subject, services.config.safetyOnOutage, attempts, log);
}

/**
 * Step 5: the safety screen reads everything of the user's turn that a model will see (their
 * words, the quoted message, transcripts, files, images). Returns the refusal (or the outage
 * policy's reply), or undefined to go on. SAFETY=off skips it.
 */
export function screenInput(prepared: PreparedRequest, services: CoreServices, attempts: AttemptRecord[], log: Logger, signal: AbortSignal | undefined): Promise<FinalReply | undefined> {
  if (services.config.safety === "off") return Promise.resolve(undefined);
  return screen("input", { userText: prepared.textToScreen, imageDataUrls: prepared.imageDataUrls }, services, attempts, log, signal);
}

/** With SAFETY=both, the answer is screened too before it is kept; undefined when it may stand. */
export function screenAnswer(
  prepared: PreparedRequest,
  answer: string,
  services: CoreServices,
  attempts: AttemptRecord[],
  log: Logger,
  signal: AbortSignal | undefined,
): Promise<FinalReply | undefined> {
  if (services.config.safety !== "both") return Promise.resolve(undefined);
  return screen("answer", { userText: prepared.request.text || prepared.userText, imageDataUrls: [], assistantText: answer }, services, attempts, log, signal);
}
