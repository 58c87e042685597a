/**
 * Hands a message that is addressed to Mami to the core; any other guild message is handed over
 * for group context (observe-channel-message.ts). Both in each channel's order.
 */
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
  const receivedAt = discord.clock.now();
  if (addressedBy === undefined) {
    // In the channel's order as well: a mention sent right after it has it in view.
    await discord.intake.inOrder(message.channelId, () => observeChannelMessage(discord, message, botUserId));
    return;
  }
  try {
    // Wrapped, so that waiting for the intake does not wait for the answer as well.
    const handedOver = await discord.intake.inOrder(message.channelId, async () => {
      await seedChannelHistory(discord, message, botUserId);
      const request = await messageToChatRequest(message, addressedBy, botUserId, receivedAt);
      return { answering: discord.mami.receive(request, new MessageReplySurface(message), { signal: discord.inFlight.signal }) };
    });
    await handedOver.answering;
  } catch (error) {
    await apologizeForMessage(message, error, discord.logger);
  }
}
