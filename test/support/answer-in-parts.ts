import type { ChatCall } from "../fakes/fake-groq/index.js";

/**
 * A responder for one long answer that a model may give in several calls: Mami continues an
 * answer that reached its completion budget, sending what was said so far, and a model asked to
 * continue goes on from there instead of starting over.
 */
export function answerInParts(answer: string): (call: ChatCall) => string {
  return (call) => {
    const [said, instruction] = call.messages.slice(-2) as { role?: string; content?: unknown }[];
    const continuing = said?.role === "assistant" && typeof said.content === "string" && typeof instruction?.content === "string" && instruction.content.includes("was cut off");
    if (!continuing || typeof said.content !== "string" || !answer.startsWith(said.content)) return answer;
    return answer.slice(said.content.length);
  };
}
