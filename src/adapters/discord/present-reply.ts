/** Streams the core's reply onto a Discord surface, then tells the core which messages carry it. */
import type { ReplyStream } from "../../core/reply.js";
import type { ChatRequest } from "../../core/request.js";
import { presentLiveReply } from "../../core/rendering/live-reply.js";
import type { LiveReplyOptions, ReplySurface } from "../../core/rendering/reply-surface.js";
import type { AdapterContext } from "./adapter-context.js";
import { withChoicesAsCommands } from "./reply-choices.js";

export const discordMessageLimit = 2_000;

export const discordLiveReplyOptions: LiveReplyOptions = {
  maxPartLength: discordMessageLimit,
  // Discord allows about five edits per five seconds per channel; once a second leaves room for other replies.
  minEditIntervalMs: 1_000,
  // "typing" lasts about ten seconds on Discord; renew it before it fades.
  workingIntervalMs: 8_000,
};

export async function presentReply(context: AdapterContext, request: ChatRequest, stream: ReplyStream, surface: ReplySurface): Promise<void> {
  const { messageIds } = await presentLiveReply(withChoicesAsCommands(stream), surface, discordLiveReplyOptions, context.clock);
  // A reply to any of these messages continues this conversation.
  await context.core.rememberReply(request, messageIds);
}
