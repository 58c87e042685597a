/**
 * Whether a message is for Mami: every DM; in guild channels and threads only a mention of the
 * bot (or of its managed role) or a reply to one of its messages. Bots, the bot itself, webhooks
 * and system messages are never answered, so two bots cannot talk each other into a loop.
 */
import type { Message } from "discord.js";
import type { AddressedBy } from "../../core/request.js";

export function howAddressed(message: Message, botUserId: string): AddressedBy | undefined {
  if (message.author.bot || message.author.id === botUserId || message.webhookId !== null || message.system) return undefined;
  if (!message.inGuild()) return "private";
  // A reply first: Discord also lists the replied-to author among the mentions when it pings them.
  if (repliesToBot(message, botUserId)) return "reply";
  if (mentionsBot(message, botUserId)) return "mention";
  return undefined;
}

function mentionsBot(message: Message, botUserId: string): boolean {
  return message.mentions.users.has(botUserId) || message.mentions.roles.some((role) => role.tags?.botId === botUserId);
}

function repliesToBot(message: Message, botUserId: string): boolean {
  if (message.reference?.messageId === undefined) return false;
  // discord.js takes the replied-to author from the message's `referenced_message`; no extra call.
  return message.mentions.repliedUser?.id === botUserId;
}
