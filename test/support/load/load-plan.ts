/**
 * The load run's messages: `chats` users, each sending `messagesPerChat` messages at seeded
 * moments within `spreadMs`, each asking for an answer of a seeded length. The same plan on
 * every run and machine.
 */
import { SeededRandom } from "../capacity/seeded-random.js";
import { isContinuationInstruction, restOfAnswer } from "../continued-answer.js";

export interface LoadShape {
  readonly chats: number;
  readonly messagesPerChat: number;
  readonly spreadMs: number;
  readonly seed: number;
}

export interface PlannedMessage {
  readonly index: number;
  readonly chat: number;
  /** When it is sent, from the start of the run. */
  readonly arrivalMs: number;
  /** Marks the message and its answer: "Answer to #tag." starts the answer. */
  readonly tag: string;
  readonly text: string;
  /** The whole answer the model gives. */
  readonly answer: string;
}

const filler = "The quick brown fox jumps over the lazy dog, and the answer goes on a little. ";

export function planMessages(shape: LoadShape): PlannedMessage[] {
  const random = new SeededRandom(shape.seed);
  const planned: PlannedMessage[] = [];
  for (let chat = 0; chat < shape.chats; chat += 1) {
    for (let turn = 0; turn < shape.messagesPerChat; turn += 1) {
      const index = planned.length;
      const tag = `load-${shape.seed}-${index}`;
      // 50 to 600 tokens: a short reply to a long explanation.
      // Numbered sentences: a continuation is shown only the answer's end, which must occur once in it.
      const sentences = Array.from({ length: random.integer(3, 40) }, (_, sentence) => `${sentence + 1}. ${filler}`);
      const answer = `Answer to #${tag}. ${sentences.join("")}`.trim();
      planned.push({ index, chat, arrivalMs: Math.floor(random.next() * shape.spreadMs), tag, text: `question ${turn + 1} from chat ${chat} #${tag}`, answer });
    }
  }
  return planned.sort((first, second) => first.arrivalMs - second.arrivalMs);
}

/** The fake Groq's answer to a load message: its planned answer, continued where a budget cut it. */
export function loadResponder(planned: readonly PlannedMessage[]): (call: { readonly messages: readonly unknown[] }) => string {
  const byTag = new Map(planned.map((message) => [message.tag, message.answer]));
  return (call) => {
    const messages = call.messages as { role?: string; content?: unknown }[];
    const text = (message: { content?: unknown } | undefined): string => (typeof message?.content === "string" ? message.content : JSON.stringify(message?.content ?? ""));
    const question = [...messages].reverse().find((message) => message.role === "user" && !isContinuationInstruction(message));
    const tag = /#(load-[\w-]+)/.exec(text(question))?.[1];
    return restOfAnswer((tag === undefined ? undefined : byTag.get(tag)) ?? "An answer.", messages);
  };
}
