import { readFileSync } from "node:fs";
import { fillerText } from "./filler-text.js";
import { SeededRandom } from "./seeded-random.js";

/**
 * The burst the capacity bench offers: messages from many private chats, at seeded times, of
 * the kinds real use mixes (small talk, code, logic and math, long pasted texts to summarise),
 * each with the answer a model will give it drawn in advance. Everything follows from the seed.
 */

export type MessageKind = "chat" | "code" | "logic" | "long_prompt";

export interface BurstMessage {
  /** 0-based, in arrival order. */
  readonly index: number;
  /** Written into the message, so the fake Groq's responder knows which message a call is about. */
  readonly tag: string;
  readonly chat: number;
  readonly kind: MessageKind;
  /** When the message arrives, counted from the start of the burst. */
  readonly arrivalMs: number;
  /** What the user writes, tag included. */
  readonly text: string;
  /** The whole answer the model gives this message: what "answered complete" means. */
  readonly answer: string;
  /** The answer's length in the fake Groq's tokens (its character count / 4, exactly). */
  readonly answerTokens: number;
}

export interface WorkloadShape {
  readonly seed: number;
  readonly messages: number;
  readonly chats: number;
  readonly burstMs: number;
}

export const defaultWorkloadShape: WorkloadShape = { seed: 20_261_205, messages: 160, chats: 40, burstMs: 25_000 };

interface LabelledPrompt {
  readonly text: string;
  readonly role: "chat" | "logic" | "code";
}

const labelledPrompts = JSON.parse(readFileSync(new URL("../../data/routing-prompts.json", import.meta.url), "utf8")) as LabelledPrompt[];

/** The mix of real use: mostly conversation, then code and reasoning, and some long pastes. */
const kindShares: readonly (readonly [MessageKind, number])[] = [
  ["chat", 0.45],
  ["code", 0.2],
  ["logic", 0.2],
  ["long_prompt", 0.15],
];

/**
 * Answer lengths in tokens, by kind: chat skewed short, code long, summaries of pasted text
 * moderate. Over the mix they run from 50 to 900 tokens.
 */
const answerTokenDraws: Readonly<Record<MessageKind, (random: SeededRandom) => number>> = {
  chat: (random) => 50 + Math.floor(300 * random.next() ** 2),
  logic: (random) => 120 + Math.floor(480 * random.next()),
  code: (random) => 200 + Math.floor(700 * random.next() ** 1.5),
  long_prompt: (random) => 100 + Math.floor(300 * random.next()),
};

/** A pasted text of a few hundred to 1,500 tokens. */
const pastedTokens = { minimum: 300, maximum: 1_500 } as const;
const charactersPerToken = 4;

export function messageTag(index: number): string {
  return `m${String(index).padStart(3, "0")}`;
}

/** The tag as the user writes it; the responder finds it again with `tagPattern`. */
export const tagPattern = /\(ref (m\d{3})\)/;

function drawKind(random: SeededRandom): MessageKind {
  let roll = random.next();
  for (const [kind, share] of kindShares) {
    if (roll < share) return kind;
    roll -= share;
  }
  return "chat";
}

function userText(kind: MessageKind, tag: string, random: SeededRandom, seed: number): string {
  if (kind === "long_prompt") {
    const pasted = fillerText(charactersPerToken * random.integer(pastedTokens.minimum, pastedTokens.maximum), seed);
    return `Please summarise this text in a few paragraphs (ref ${tag}):\n\n${pasted}`;
  }
  const prompt = random.pick(labelledPrompts.filter((candidate) => candidate.role === kind));
  return `${prompt.text} (ref ${tag})`;
}

export function buildWorkload(shape: WorkloadShape = defaultWorkloadShape): BurstMessage[] {
  const random = new SeededRandom(shape.seed);
  const arrivals = Array.from({ length: shape.messages }, () => Math.floor(random.next() * shape.burstMs)).sort((first, second) => first - second);
  // Every chat sends the same number of messages (give or take one), in order, spread over the burst.
  const chats = random.shuffled(Array.from({ length: shape.messages }, (_, index) => index % shape.chats));
  return arrivals.map((arrivalMs, index): BurstMessage => {
    const tag = messageTag(index);
    const kind = drawKind(random);
    const answerTokens = answerTokenDraws[kind](random);
    const text = userText(kind, tag, random, shape.seed + index);
    const opening = `Answer to ${tag}. `;
    return {
      index,
      tag,
      chat: chats[index] ?? 0,
      kind,
      arrivalMs,
      text,
      answer: opening + fillerText(answerTokens * charactersPerToken - opening.length, shape.seed * 7 + index),
      answerTokens,
    };
  });
}
