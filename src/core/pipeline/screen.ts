import type { AttemptRecord } from "../errors.js";
import type { Logger } from "../ports/logger.js";
import type { FinalReply } from "../reply.js";
import type { CoreServices } from "../services.js";
import type { PreparedRequest } from "./prepare.js";
import { replyForScreen } from "./replies.js";

/**
 * Step 5: the safety screen reads everything of the user's turn that a model will see (their
 * words, the quoted message, transcripts, files, images). Returns the refusal (or the outage
 * policy's reply), or undefined to go on. SAFETY=off skips it.
 */
export async function screenInput(
  prepared: PreparedRequest,
  services: CoreServices,
  attempts: AttemptRecord[],
  log: Logger,
  signal: AbortSignal | undefined,
): Promise<FinalReply | undefined> {
  const { config } = services;
  if (config.safety === "off") return undefined;
  const screened = await services.safety.screen({ userText: prepared.textToScreen, imageDataUrls: prepared.imageDataUrls }, signal);
  attempts.push(...screened.attempts);
  return replyForScreen(screened.result, "input", config.safetyOnOutage, attempts, log);
}

/** With SAFETY=both, the answer is screened too before it is kept; undefined when it may stand. */
export async function screenAnswer(
  prepared: PreparedRequest,
  answer: string,
  services: CoreServices,
  attempts: AttemptRecord[],
  log: Logger,
  signal: AbortSignal | undefined,
): Promise<FinalReply | undefined> {
  const { config } = services;
  if (config.safety !== "both") return undefined;
  const screened = await services.safety.screen({ userText: prepared.request.text || prepared.userText, imageDataUrls: [], assistantText: answer }, signal);
  attempts.push(...screened.attempts);
  return replyForScreen(screened.result, "answer", config.safetyOnOutage, attempts, log);
}
