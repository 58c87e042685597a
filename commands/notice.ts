import type { ReplyChoice, ReplyStream } from "../src/core/reply.js";

/** A command's reply that needs no model: one final event. */
export async function* notice(text: string, choices?: readonly ReplyChoice[]): ReplyStream {
  yield {
    type: "final",
    reply: { kind: "notice", text, attempts: [], ...(choices === undefined ? {} : { choices }) },
  };
}
