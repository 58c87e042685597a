/**
 * Group context on Discord: the guild messages Mami does not answer are handed to the core, which
 * keeps them a while (GROUP_CONTEXT_*) so that a later mention can ask about the discussion. With
 * the Message Content intent, `messageCreate` carries every member's words; without it Discord
 * blanks them, and there is nothing to keep.
 */
import type { Message } from "discord.js";
import type { GroupMessage } from "../../core/conversation/group-context.js";
import { chatLocationOf } from "./chat-location.js";
import type { DiscordContext } from "./discord-context.js";
import { textForModel } from "./message-text.js";

/** Discord returns at most 100 messages a call. */
const maxFetchedMessages = 100;

function groupMessageOf(message: Message, botUserId: string, at: number): GroupMessage | undefined {
  if (!message.inGuild() || message.system || message.author.id === botUserId) return undefined;
  const words = textForModel(message, botUserId);
  const files = [...message.attachments.values()].map((attachment) => `[${attachment.name}]`).join(" ");
  const text = [words, files].filter((part) => part !== "").join(" ");
  if (text === "") return undefined;
  return {
    location: chatLocationOf(message.channel, message.channelId, true),
    messageId: message.id,
    author: { id: message.author.id, name: message.member?.displayName ?? message.author.displayName, isBot: message.author.bot || message.webhookId !== null },
    text,
    at,
  };
}

async function observe(discord: DiscordContext, messages: readonly GroupMessage[]): Promise<void> {
  try {
    for (const message of messages) await discord.mami.observeGroupMessage(message);
  } catch (error) {
    // Nobody asked anything, so nobody is told; the answer to a later mention just sees less.
    discord.logger.warn({ error: error instanceof Error ? error.message : String(error) }, "could not keep a channel message for context");
  }
}

/** A guild message that does not address Mami. */
export async function observeChannelMessage(discord: DiscordContext, message: Message, botUserId: string): Promise<void> {
  const observed = groupMessageOf(message, botUserId, discord.clock.now());
  if (observed !== undefined) await observe(discord, [observed]);
}

/**
 * Before a mention in a channel the core has no record of (a new channel, or after a restart
 * with an empty store), the channel's latest messages are read once from its history, so the
 * answer still has the discussion in view. Their times are Discord's.
 */
export async function seedChannelHistory(discord: DiscordContext, message: Message, botUserId: string): Promise<void> {
  if (!message.inGuild()) return;
  try {
    const wanted = await discord.mami.groupContextWanted(chatLocationOf(message.channel, message.channelId, true));
    if (wanted <= 0) return;
    const earlier = await message.channel.messages.fetch({ limit: Math.min(wanted, maxFetchedMessages), before: message.id, cache: false });
    const oldestFirst = [...earlier.values()].sort((first, second) => first.createdTimestamp - second.createdTimestamp);
    const observed = oldestFirst.map((earlierMessage) => groupMessageOf(earlierMessage, botUserId, earlierMessage.createdTimestamp)).filter((entry) => entry !== undefined);
    await observe(discord, observed);
  } catch (error) {
    discord.logger.warn({ channel: message.channelId, error: error instanceof Error ? error.message : String(error) }, "could not read the channel's recent messages");
  }
}
