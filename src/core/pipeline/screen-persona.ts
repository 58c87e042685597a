import type { Wording } from "../language/wording.js";
import type { CoreServices } from "../services.js";
import { replyForScreen } from "./replies.js";

/**
 * A persona is screened when it is set, as a message would be: it becomes part of every prompt
 * of the chat, where the input screen (which reads the users' turns) would never see it.
 * Returns the words of the refusal, or undefined when it may be set. SAFETY=off skips it.
 */
export async function personaRefusal(persona: string, services: CoreServices, words: Wording): Promise<string | undefined> {
  if (services.config.safety === "off") return undefined;
  const screened = await services.safety.screen({ userText: persona, imageDataUrls: [] }, undefined);
  const log = services.logger.child({ subject: "persona" });
  return replyForScreen(screened.result, "input", services.config.safetyOnOutage, screened.attempts, log, words)?.text;
}
