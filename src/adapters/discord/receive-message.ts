/** Hands a message that is addressed to Mami to the core; ignores every other message without a single call. */
import type { Message } from "discord.js";
import { howAddressed } from "./addressing.js";
import type { DiscordContext } from "./discord-context.js";
import { apologizeForMessage } from "./errors.js";
import { observeChannelMessage, seedChannelHistory } from "./observe-channel-message.js";
import { MessageReplySurface } from "./reply-surface.js";
import { messageToChatRequest } from "./to-chat-request.js";

export async function receiveMessage(discord: DiscordContext, message: Message): Promise<void> {
  const botUserId = message.client.user.id;
  const addressedBy = howAddressed(message, botUserId);
  if (!discord.inFlight.accepting) return;
  if (addressedBy === undefined) {
    await observeChannelMessage(discord, message, botUserId);
    return;
  }
  try {
    await seedChannelHistory(discord, message, botUserId);
    const request = await messageToChatRequest(message, addressedBy, botUserId, discord.clock.now());
    await discord.mami.receive(request, new MessageReplySurface(message), { signal: discord.inFlight.signal });
  } catch (error) {
    await apologizeForMessage(message, error, discord.logger);
  }
}
