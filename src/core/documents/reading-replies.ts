import { shownName } from "../attachments/prepare-attachments.js";
import { describeWait } from "../pipeline/replies.js";
import type { ErrorReply, ReplyChoice } from "../reply.js";

/** A reading's own words: its progress, its limits, being stopped. */

/** The button (or command to type) under a reading's progress message. */
export const stopReadingChoice: ReplyChoice = { label: "Stop reading", command: "/cancel" };

/** A name as the user sent it, shown so it cannot become markup; pasted text is just "your text". */
export function shownDocumentName(name: string, pasted: boolean): string {
  return pasted ? "your text" : shownName(name);
}

function about(tokens: number): string {
  const rounded = tokens >= 10_000 ? Math.round(tokens / 1_000) * 1_000 : Math.round(tokens / 100) * 100;
  return rounded.toLocaleString("en-US");
}

export function readingProgress(name: string, done: number, total: number, remainingMs: number): string {
  return `📖 Reading ${name}: ${done} of ${Math.max(total, done)} parts, about ${describeWait(Math.max(remainingMs, 1_000))} left.`;
}

export function combiningProgress(name: string, parts: number): string {
  return `📖 Read ${name} (${parts} parts): writing the answer from the notes…`;
}

export function choosingProgress(name: string): string {
  return `📖 Looking up ${name} again: choosing the parts this question needs…`;
}

export function stoppedReading(name: string, done: number, total: number): ErrorReply {
  return {
    kind: "error",
    failure: "stopped",
    text: `Stopped reading ${name} after ${done} of ${total} parts, as asked. Nothing more is held for it; send it again to start over.`,
    attempts: [],
  };
}

export function tooLongToRead(name: string, tokens: number, readingMs: number, limitMs: number): ErrorReply {
  return {
    kind: "error",
    failure: "bad_input",
    text:
      `${name} is about ${about(tokens)} tokens. Reading it would take about ${describeWait(readingMs)} with the quota the models have now, ` +
      `and I read one document for at most ${describeWait(limitMs)}. Send a shorter extract, or ask about one part of it.`,
    attempts: [],
  };
}

export function tooMuchOfTheDay(name: string, tokens: number, dayLeft: number, share: number): ErrorReply {
  return {
    kind: "error",
    failure: "bad_input",
    text:
      `Reading ${name} would use about ${about(tokens)} tokens, more than ${Math.round(share * 100)}% of the ${about(dayLeft)} tokens ` +
      `the models have left today. Send a shorter extract, or try again tomorrow.`,
    attempts: [],
  };
}

export function overUserBudget(name: string, tokens: number, left: number): ErrorReply {
  return {
    kind: "error",
    failure: "budget_spent",
    text: `Reading ${name} would use about ${about(tokens)} tokens, and you have ${about(Math.max(0, left))} left today. Send a shorter extract.`,
    attempts: [],
  };
}

export function neverFits(name: string): ErrorReply {
  return {
    kind: "error",
    failure: "no_model_available",
    text: `No model I can use now takes even a small part of ${name}. Please try again later.`,
    attempts: [],
  };
}

/** Said after the answer when parts could not be read, so nobody takes a partial answer for a whole one. */
export function unreadPartsNote(labels: readonly string[]): string {
  return `\n\n_(Not read: ${labels.join("; ")}. The answer is from the rest.)_`;
}
