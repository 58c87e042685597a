import { shownName } from "../attachments/prepare-attachments.js";
import type { Wording } from "../language/wording.js";
import type { ErrorReply, ReplyChoice } from "../reply.js";

/** A reading's own words: its progress, its limits, being stopped; in the user's language (core/language). */

/** The button (or command to type) under a reading's progress message. */
export function stopReadingChoice(words: Wording): ReplyChoice {
  return { label: words.say("reading.stopButton"), command: "/cancel" };
}

/** A name as the user sent it, shown so it cannot become markup; pasted text is just "your text". */
export function shownDocumentName(name: string, pasted: boolean, words: Wording): string {
  return pasted ? words.say("reading.pastedText") : shownName(name);
}

/** A token count as a reading's estimates deserve: to the hundred, or to the thousand past ten thousand. */
function about(tokens: number, words: Wording): string {
  const rounded = tokens >= 10_000 ? Math.round(tokens / 1_000) * 1_000 : Math.round(tokens / 100) * 100;
  return words.number(rounded);
}

export function readingProgress(name: string, done: number, total: number, remainingMs: number, words: Wording): string {
  return words.say("reading.progress", { name, done, total: Math.max(total, done), wait: words.wait(Math.max(remainingMs, 1_000)) });
}

export function combiningProgress(name: string, parts: number, words: Wording): string {
  return words.say("reading.combining", { name, parts });
}

export function choosingProgress(name: string, words: Wording): string {
  return words.say("reading.choosing", { name });
}

export function stoppedReading(name: string, done: number, total: number, words: Wording): ErrorReply {
  return { kind: "error", failure: "stopped", text: words.say("reading.stopped", { name, done, total }), attempts: [] };
}

export function tooLongToRead(name: string, tokens: number, readingMs: number, limitMs: number, words: Wording): ErrorReply {
  return {
    kind: "error",
    failure: "bad_input",
    text: words.say("reading.tooLong", { name, tokens: about(tokens, words), readingWait: words.wait(readingMs), limitWait: words.wait(limitMs) }),
    attempts: [],
  };
}

export function tooMuchOfTheDay(name: string, tokens: number, dayLeft: number, share: number, words: Wording): ErrorReply {
  return {
    kind: "error",
    failure: "bad_input",
    text: words.say("reading.tooMuchOfTheDay", { name, tokens: about(tokens, words), percent: Math.round(share * 100), dayLeft: about(dayLeft, words) }),
    attempts: [],
  };
}

export function overUserBudget(name: string, tokens: number, left: number, words: Wording): ErrorReply {
  return {
    kind: "error",
    failure: "budget_spent",
    text: words.say("reading.overBudget", { name, tokens: about(tokens, words), left: about(Math.max(0, left), words) }),
    attempts: [],
  };
}

export function neverFits(name: string, words: Wording): ErrorReply {
  return { kind: "error", failure: "no_model_available", text: words.say("reading.neverFits", { name }), attempts: [] };
}

/** Said after the answer when parts could not be read, so nobody takes a partial answer for a whole one. */
export function unreadPartsNote(labels: readonly string[], words: Wording): string {
  return `\n\n${words.say("reading.unreadParts", { labels: labels.join("; ") })}`;
}
