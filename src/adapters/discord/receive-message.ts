/** Hands a message that is addressed to Mami to the core; ignores every other message without a single call. */
import type { Message } from "discord.js";
import { howAddressed } from "./addressing.js";
import type { DiscordContext } from "./discord-context.js";
import { apologizeForMessage } from "./errors.js";
import { MessageReplySurface } from "./reply-surface.js";
import { messageToChatRequest } from "./to-chat-request.js";

export async function receiveMessage(discord: DiscordContext, message: Message): Promise<void> {
  const botUserId = message.client.user.id;
  const addressedBy = howAddressed(message, botUserId);
  if (addressedBy === undefined || !discord.inFlight.accepting) return;
  const receivedAt = discord.clock.now();
  try {
    // Wrapped, so that waiting for the intake does not wait for the answer as well.
    const handedOver = await discord.intake.inOrder(message.channelId, async () => {
      const request = await messageToChatRequest(message, addressedBy, botUserId, receivedAt);
      return { answering: discord.mami.receive(request, new MessageReplySurface(message), { signal: discord.inFlight.signal }) };
    });
    await handedOver.answering;
  } catch (error) {
    await apologizeForMessage(message, error, discord.logger);
  }
}
