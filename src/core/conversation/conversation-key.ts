import type { KeyValueStore } from "../ports/key-value-store.js";
import type { ChatRequest } from "../request.js";

/** Bot messages are remembered for a month, long enough for anyone to reply to them. */
const replyIndexTimeToLiveMs = 30 * 24 * 60 * 60_000;

/** Where the message was written: the chat, and the thread or topic within it. */
export function locationKey(request: ChatRequest): string {
  const { platform, chatId, threadId } = request.location;
  return threadId === undefined ? `${platform}:${chatId}` : `${platform}:${chatId}:t${threadId}`;
}

function replyIndexKey(request: ChatRequest, messageId: string): string {
  return `${locationKey(request)}:${messageId}`;
}

/**
 * Which conversation a message belongs to. A private chat is one conversation, and so is a
 * thread or forum topic. In a group, a reply to one of the bot's messages continues that
 * reply thread; a fresh mention starts a new one.
 */
export async function resolveConversationId(request: ChatRequest, store: KeyValueStore): Promise<string> {
  const location = locationKey(request);
  if (request.location.kind !== "group") return location;
  const replyTo = request.replyTo;
  if (replyTo?.fromBot === true) {
    const known = await store.get<string>("reply-index", replyIndexKey(request, replyTo.messageId));
    return known ?? `${location}:m${replyTo.messageId}`;
  }
  return `${location}:m${request.messageId}`;
}

/** Records which conversation the bot's reply messages belong to, so replies to them continue it. */
export async function rememberReplyMessages(
  request: ChatRequest,
  conversationId: string,
  botMessageIds: readonly string[],
  store: KeyValueStore,
): Promise<void> {
  await Promise.all(
    botMessageIds.map((messageId) => store.set("reply-index", replyIndexKey(request, messageId), conversationId, replyIndexTimeToLiveMs)),
  );
}
