import type { ChatCall } from "../fakes/fake-groq/index.js";
import { restOfAnswer } from "./continued-answer.js";

/**
 * A responder for one long answer that a model may give in several calls: Mami continues an
 * answer that reached its completion budget, sending what was said so far, and a model asked to
 * continue goes on from there instead of starting over.
 */
export function answerInParts(answer: string): (call: ChatCall) => string {
  return (call) => restOfAnswer(answer, call.messages);
}
