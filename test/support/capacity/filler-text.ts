import { SeededRandom } from "./seeded-random.js";

/**
 * Plain prose of an exact length, so that an answer or a pasted document is exactly as many
 * tokens as the workload drew, in the fake Groq's own units (4 characters a token, see
 * test/fakes/fake-groq/token-count.ts). Only lowercase words, spaces, commas and full stops:
 * nothing that Markdown or Telegram's HTML would change, so the text a user finally sees can be
 * compared with the text the model gave, character for character.
 */
const words = [
  "the", "model", "answers", "with", "care", "and", "every", "quota", "window", "moves", "along", "time",
  "tokens", "flow", "through", "each", "request", "while", "queues", "wait", "for", "minute", "limits",
  "to", "free", "again", "so", "that", "users", "see", "complete", "replies", "soon", "after", "asking",
  "a", "small", "part", "of", "longer", "story", "about", "routing", "many", "chats", "at", "once",
];

export function fillerText(characters: number, seed: number): string {
  if (characters <= 0) return "";
  const random = new SeededRandom(seed);
  let text = "";
  let sentenceLength = 0;
  while (text.length < characters) {
    const word = random.pick(words);
    const startsSentence = sentenceLength === 0;
    text += (text === "" ? "" : " ") + (startsSentence ? word.charAt(0).toUpperCase() + word.slice(1) : word);
    sentenceLength += 1;
    if (sentenceLength >= 6 + random.integer(0, 8)) {
      text += ".";
      sentenceLength = 0;
    } else if (random.next() < 0.08) {
      text += ",";
    }
  }
  // Cut to length and end on a full stop, never on a space: Telegram trims what it shows.
  return characters === 1 ? "." : `${text.slice(0, characters - 1).trimEnd().padEnd(characters - 1, "a")}.`;
}
