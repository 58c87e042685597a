import { locationKey } from "../conversation/conversation-key.js";
import { groupContextBlock } from "../conversation/group-context-block.js";
import { loadGroupMessages } from "../conversation/group-context.js";
import type { ChatRequest } from "../request.js";
import type { CoreServices } from "../services.js";

/**
 * Whether a message is answered with the chat's recent messages in view: a fresh mention (or a
 * command such as /ask) in a group, channel, thread or topic. A reply to one of the bot's
 * messages continues its reply thread, whose history is the explicit memory; a private chat has
 * no one else's words.
 */
export function seesRecentGroupMessages(request: ChatRequest): boolean {
  return request.location.kind !== "private" && request.location.platform !== "cli" && request.addressedBy !== "reply";
}

/**
 * Part of step 2 for groups: the recent messages of the chat as a delimited block with their
 * authors' names (group-context-block.ts), bounded by GROUP_CONTEXT_MESSAGES and
 * GROUP_CONTEXT_TOKENS; empty when off, when nothing was seen, or for a reply to the bot.
 */
export async function recentGroupMessagesBlock(request: ChatRequest, conversationId: string, services: CoreServices): Promise<string> {
  const { maxMessages, maxTokens, keptForMs } = services.config.groupContext;
  if (maxMessages <= 0 || maxTokens <= 0 || !seesRecentGroupMessages(request)) return "";
  const messages = await loadGroupMessages(services.store, locationKey(request), services.clock.now(), keptForMs);
  return groupContextBlock(messages, { requestMessageId: request.messageId, conversationId, askerName: request.author.name, maxMessages, maxTokens });
}
