/**
 * A command that ends in an error (not allowed, every model busy, a bad option) concerns only
 * the person who ran it: when nothing was streamed before it, it is shown to them alone.
 */
import type { ReplyStream } from "../../core/reply.js";
import type { InteractionReplySurface } from "./discord-surface.js";

export async function* withErrorsOnlyForTheAsker(stream: ReplyStream, surface: InteractionReplySurface): ReplyStream {
  let streamedText = false;
  for await (const event of stream) {
    if (event.type === "delta") streamedText = true;
    if (event.type === "final" && event.reply.kind === "error" && !streamedText) surface.answerPrivately();
    yield event;
  }
}
