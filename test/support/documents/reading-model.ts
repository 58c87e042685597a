import { combineInstructions, mergeInstructions, notesInstructions, selectionInstructions } from "../../../src/core/documents/reading-prompts.js";
import { isRecord, lastUserMessageText } from "../../fakes/fake-groq/json-values.js";
import { defaultAnswer } from "../../fakes/fake-groq/responses.js";
import type { ChatCall } from "../../fakes/fake-groq/index.js";

/** A fact a question can ask for: the question is about it when it matches `asks`. */
export interface KnownFact {
  readonly asks: RegExp;
  readonly sentence: string;
}

export type ReadingCallKind = "notes" | "selection" | "merge" | "answer" | "other";

function systemText(call: ChatCall): string {
  const first = call.messages[0];
  return isRecord(first) && first.role === "system" && typeof first.content === "string" ? first.content : "";
}

/** Which step of a reading a call to the fake Groq is, told by its instructions. */
export function readingCallKind(call: ChatCall): ReadingCallKind {
  const system = systemText(call);
  if (system === notesInstructions) return "notes";
  if (system === selectionInstructions) return "selection";
  if (system === mergeInstructions) return "merge";
  if (system.includes(combineInstructions)) return "answer";
  return "other";
}

function questionOf(userText: string): string {
  return /^Question: (.*)$/m.exec(userText)?.[1] ?? "";
}

/** Words of four letters or more a question and a line share, for a reader that looks things up by name. */
function keywords(text: string): string[] {
  const stop = new Set(["what", "which", "about", "whom", "when", "where", "this", "that", "does", "with", "from", "have", "were", "there", "their", "earlier", "question", "follows"]);
  return [...new Set(text.toLowerCase().match(/[a-z]{4,}/g) ?? [])].filter((word) => !stop.has(word));
}

/** Names a part mentions (capitalised words that are not a sentence's first word), as a reader would note them. */
function namesIn(text: string): string[] {
  const found = [...text.matchAll(/(?<=[a-z,] )[A-Z][a-z]{3,}\b/g)].map((match) => match[0]);
  return [...new Set(found)].slice(0, 8);
}

/** The page a position in a part's text is on, as the part's own page markers say. */
function pageAt(text: string, position: number): string | undefined {
  const markers = [...text.slice(0, position).matchAll(/\[page (\d+)/g)];
  return markers.at(-1)?.[1];
}

/**
 * A fake model that reads as the instructions ask, for tests and benches of document reading:
 * notes name the facts a part holds that the question asks for (with their page), and what
 * the part covers (its chapter headings); a choice of parts picks those whose description
 * shares a word with the question; merged notes keep every note; an answer repeats the notes.
 * Any other call gets the fake's default answer.
 */
export function readingModel(facts: readonly KnownFact[]): (call: ChatCall) => string {
  return (call) => {
    const user = lastUserMessageText(call.messages);
    switch (readingCallKind(call)) {
      case "notes": {
        const question = questionOf(user);
        const chapters = [...user.matchAll(/^Chapter \d+: .*$/gm)].map((match) => match[0]);
        const names = namesIn(user.slice(user.indexOf("<part-")));
        const covers = `COVERS: ${[...chapters, ...(names.length === 0 ? [] : [`mentions ${names.join(", ")}`])].join("; ") || "the report continues"}`;
        const found = facts.filter((fact) => fact.asks.test(question) && user.includes(fact.sentence));
        if (found.length === 0) return `${covers}\nNOTES: NOTHING`;
        const notes = found.map((fact) => `${fact.sentence} [p. ${pageAt(user, user.indexOf(fact.sentence)) ?? "?"}]`);
        return `${covers}\nNOTES: ${notes.join(" ")}`;
      }
      case "selection": {
        const wanted = keywords(questionOf(user));
        const picked = [...user.matchAll(/^(\d+) \(([^)]*)\): (.*)$/gm)].filter((line) => keywords(line[3] ?? "").some((word) => wanted.includes(word))).map((line) => line[1]);
        return picked.length === 0 ? "PARTS: ALL" : `PARTS: ${picked.join(", ")}`;
      }
      case "merge":
        return `NOTES: ${[...user.matchAll(/^(?!\[Part|<part|<\/part|Question:|Notes on)(.+)$/gm)].map((match) => match[1]).join(" ")}`;
      case "answer": {
        const notes = [...user.matchAll(/^\[Parts? [^\]]*\]\n(.+)$/gm)].map((match) => match[1]);
        return notes.length === 0 ? "The notes do not hold the answer." : `From the document: ${notes.join(" ")}`;
      }
      case "other":
        return defaultAnswer(call);
    }
  };
}
