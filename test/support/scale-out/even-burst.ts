import { fillerText } from "../capacity/filler-text.js";
import { messageTag, type BurstMessage } from "../capacity/workload.js";

export interface EvenBurstShape {
  readonly messages: number;
  readonly chats: number;
  /** Messages arrive evenly over this long. */
  readonly burstMs: number;
  /** Every answer's length, in the fake Groq's tokens. */
  readonly answerTokens: number;
}

const charactersPerToken = 4;

/**
 * A burst of alike messages: short questions from many private chats, arriving evenly, each
 * answered at the same length. Alike, so that what a run serves depends on how the quota is
 * shared and not on which long or short answers happened to come first: runs compare within a
 * few messages.
 */
export function evenBurst(shape: EvenBurstShape): BurstMessage[] {
  return Array.from({ length: shape.messages }, (_, index): BurstMessage => {
    const tag = messageTag(index);
    const opening = `Answer to ${tag}. `;
    return {
      index,
      tag,
      chat: index % shape.chats,
      kind: "chat",
      arrivalMs: Math.floor((index * shape.burstMs) / shape.messages),
      text: `Hi! Could you tell me something cheerful about the number ${index}? (ref ${tag})`,
      answer: opening + fillerText(shape.answerTokens * charactersPerToken - opening.length, index),
      answerTokens: shape.answerTokens,
    };
  });
}
