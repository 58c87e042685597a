/** Answers a message that is addressed to Mami; ignores every other message without a single call. */
import type { Message } from "discord.js";
import type { AdapterContext } from "./adapter-context.js";
import { howAddressed } from "./addressing.js";
import { MessageReplySurface } from "./discord-surface.js";
import { apologizeForMessage } from "./errors.js";
import { presentReply } from "./present-reply.js";
import { messageToChatRequest } from "./to-chat-request.js";

export async function answerMessage(context: AdapterContext, message: Message): Promise<void> {
  const botUserId = message.client.user.id;
  const addressedBy = howAddressed(message, botUserId);
  if (addressedBy === undefined) return;
  try {
    const request = await messageToChatRequest(message, addressedBy, botUserId);
    const stream = context.core.handle(request, { signal: context.shutdown });
    await presentReply(context, request, stream, new MessageReplySurface(message));
  } catch (error) {
    await apologizeForMessage(message, error, context.logger);
  }
}
