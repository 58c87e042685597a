/** Where a Discord message or command was written, in the core's terms. */
import type { TextBasedChannel } from "discord.js";
import type { ChatLocation } from "../../core/request.js";

/**
 * A thread is one conversation within its parent channel (like a Telegram forum topic), so the
 * chat is the parent and the thread its `threadId`; ALLOWED_CHATS then covers a channel's threads.
 */
export function chatLocationOf(channel: TextBasedChannel | null, channelId: string, inGuild: boolean): ChatLocation {
  if (channel?.isThread() === true) {
    return { platform: "discord", chatId: channel.parentId ?? channel.id, kind: "thread", threadId: channel.id };
  }
  return { platform: "discord", chatId: channelId, kind: inGuild ? "group" : "private" };
}
