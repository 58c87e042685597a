/** The text of a message as the model should read it: without the mention that addressed Mami. */
import { cleanContent, type Message } from "discord.js";

export function textForModel(message: Message, botUserId: string): string {
  const botRoleMentions = message.mentions.roles.filter((role) => role.tags?.botId === botUserId).map((role) => `<@&${role.id}>`);
  const addressing = new RegExp([`<@!?${botUserId}>`, ...botRoleMentions].join("|"), "g");
  // Only the ends are trimmed: spaces inside may be code indentation.
  const withoutAddressing = message.content.replace(addressing, "").trim();
  // Other mentions become readable names (`<@123>` → `@Bob`), which a model can make sense of.
  return cleanContent(withoutAddressing, message.channel);
}
