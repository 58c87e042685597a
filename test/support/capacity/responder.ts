import type { ChatCall } from "../../fakes/fake-groq/index.js";
import { restOfAnswer } from "../continued-answer.js";
import { textOf, type SentMessage } from "../sent-message.js";
import { tagPattern, type BurstMessage, type MessageKind } from "./workload.js";

/**
 * What the fake Groq answers during the burst. Every answer call carries its message's tag, so
 * the responder gives that message's whole intended answer, or, when Mami continues an answer
 * that reached its completion budget, only what remains after what was already said
 * (support/continued-answer.ts). The fake then cuts the text at the call's budget
 * (finish_reason "length") as a model would.
 * Safety and router calls get well-formed short verdicts.
 */

/** The system prompt of Mami's router call (routing/llm-router.ts). */
const routerMarker = "You route messages";
/** A batched safety screen numbers its items between <item-NONCE-N> tags (safety/screen-batcher.ts). */
const batchedItemPattern = /<item-[0-9a-z]+-(\d+)>/gi;

const routedRoles: Readonly<Record<MessageKind, "chat" | "logic" | "code">> = { chat: "chat", code: "code", logic: "logic", long_prompt: "chat" };

export function isSafetyModel(model: string): boolean {
  return model.includes("guard");
}

export function isRouterCall(messages: readonly unknown[]): boolean {
  const [first] = messages as SentMessage[];
  return first?.role === "system" && textOf(first).startsWith(routerMarker);
}

/** The tag of the message a call is about: the last one found in its user messages. */
export function tagOf(messages: readonly unknown[]): string | undefined {
  let tag: string | undefined;
  for (const message of messages as SentMessage[]) {
    if (message.role !== "user") continue;
    tag = tagPattern.exec(textOf(message))?.[1] ?? tag;
  }
  return tag;
}

function safetyVerdict(messages: readonly unknown[]): string {
  const [system, user] = messages as SentMessage[];
  if (system?.role !== "system" || !textOf(system).includes("numbered items")) return "safe";
  const items = [...textOf(user).matchAll(batchedItemPattern)].map((match) => Number(match[1]));
  const count = Math.max(0, ...items);
  return Array.from({ length: count }, (_, index) => `${index + 1}: safe`).join("\n");
}

export function burstResponder(messages: readonly BurstMessage[]): (call: ChatCall) => string {
  const byTag = new Map(messages.map((message) => [message.tag, message]));
  return (call) => {
    if (isSafetyModel(call.model)) return safetyVerdict(call.messages);
    const message = byTag.get(tagOf(call.messages) ?? "");
    if (isRouterCall(call.messages)) return `{"role":"${routedRoles[message?.kind ?? "chat"]}"}`;
    if (message === undefined) return "I can help with that.";
    return restOfAnswer(message.answer, call.messages);
  };
}
