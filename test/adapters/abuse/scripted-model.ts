/**
 * What the fake Groq answers in the abuse suite, steered by the user's own words so that each
 * case can choose the model's output:
 *
 * - `ECHO«text»`: the answer is exactly `text` (links, markup, mentions the case wants shown);
 * - `LONG`: a long answer that streams for seconds with the suite's slow models (`MEDIUM`: half);
 * - `#tag`: "Answer to #tag." — how an ordinary message is recognised in the chat.
 *
 * An answer cut at its completion budget is continued from where it stopped, as a model would.
 */
import type { ChatCall } from "../../fakes/fake-groq/index.js";
import { isContinuationInstruction, restOfAnswer } from "../../support/continued-answer.js";
import { textOf, type SentMessage } from "../../support/sent-message.js";

export const longAnswer = Array.from({ length: 40 }, (_, index) => `Line ${index + 1} of a long answer that takes its time to arrive.`).join("\n");
/** Half as long: one Discord message, still a couple of seconds of streaming. */
export const mediumAnswer = longAnswer.split("\n").slice(0, 20).join("\n");

export function ordinaryQuestion(tag: string): string {
  return `an ordinary question #${tag}`;
}

export function ordinaryAnswer(tag: string): string {
  return `Answer to #${tag}.`;
}

const recentChatEnd = "</recent_chat>";

/**
 * A mention in a group starts its user turn with the chat's recent messages, other cases' words
 * among them (core/conversation/group-context-block.ts): the question is what follows the block.
 */
function ownWords(userText: string): string {
  const end = userText.lastIndexOf(recentChatEnd);
  return end === -1 ? userText : userText.slice(end + recentChatEnd.length);
}

function answerFor(turnText: string): string {
  const userText = ownWords(turnText);
  const echo = /ECHO«([\s\S]*?)»/.exec(userText);
  if (echo !== null) return echo[1] ?? "";
  if (userText.includes("LONG")) return longAnswer;
  if (userText.includes("MEDIUM")) return mediumAnswer;
  const tag = /#([\w-]+)/.exec(userText)?.[1];
  return tag === undefined ? "An answer." : ordinaryAnswer(tag);
}

/** What the user asked in a recorded call: its last user message. */
export function askedIn(call: { readonly body: unknown }): string {
  const messages = (call.body as { messages?: SentMessage[] } | undefined)?.messages ?? [];
  return textOf([...messages].reverse().find((message) => message.role === "user"));
}

export function scriptedAnswer(call: ChatCall): string {
  const messages = call.messages as SentMessage[];
  const question = [...messages].reverse().find((message) => message.role === "user" && !isContinuationInstruction(message));
  return restOfAnswer(answerFor(textOf(question)), messages);
}
