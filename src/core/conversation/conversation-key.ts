import type { KeyValueStore } from "../ports/key-value-store.js";
import type { ChatRequest } from "../request.js";

/** Bot messages are remembered for a month, long enough for anyone to reply to them. */
const replyIndexTimeToLiveMs = 30 * 24 * 60 * 60_000;

/** Where the message was written: the chat, and the thread or topic within it. */
export function locationKey(request: Pick<ChatRequest, "location">): string {
  const { platform, chatId, threadId } = request.location;
  return threadId === undefined ? `${platform}:${chatId}` : `${platform}:${chatId}:t${threadId}`;
}

function replyIndexKey(request: ChatRequest, messageId: string): string {
  return `${locationKey(request)}:${messageId}`;
}

/**
 * A user who mentions the bot again this soon after their last answer in a group continues that
 * conversation without replying to it: people write "@Mami and in French?" as often as they
 * use reply. Long enough for a follow-up, short enough that a new topic later starts fresh.
 */
export const groupFollowUpWindowMs = 5 * 60_000;

function lastExchangeKey(request: ChatRequest): string {
  return `${locationKey(request)}:u${request.author.id}`;
}

interface LastExchange {
  readonly conversationId: string;
  readonly at: number;
}

/** The conversation of the author's last answer in this group, when it was recent enough to follow up on. */
async function followedUpConversation(request: ChatRequest, store: KeyValueStore): Promise<string | undefined> {
  const last = await store.get<LastExchange>("reply-index", lastExchangeKey(request));
  if (last === undefined) return undefined;
  // The store's expiry keeps real time; the arrival time, on the core's clock, decides when it has one.
  if (request.receivedAt !== undefined && request.receivedAt - last.at > groupFollowUpWindowMs) return undefined;
  return last.conversationId;
}

/** Notes the conversation the author was just answered in, so that a quick second mention continues it. */
export async function rememberLastExchange(request: ChatRequest, conversationId: string, at: number, store: KeyValueStore): Promise<void> {
  if (request.location.kind !== "group") return;
  await store.set<LastExchange>("reply-index", lastExchangeKey(request), { conversationId, at }, groupFollowUpWindowMs);
}

/**
 * Which conversation a message belongs to. A private chat is one conversation, and so is a
 * thread or forum topic. In a group, a reply to one of the bot's messages continues that
 * reply thread; a fresh mention starts a new one, unless its author was answered moments ago
 * (`groupFollowUpWindowMs`), when it continues that exchange.
 */
export async function resolveConversationId(request: ChatRequest, store: KeyValueStore): Promise<string> {
  const location = locationKey(request);
  if (request.location.kind !== "group") return location;
  const replyTo = request.replyTo;
  if (replyTo?.fromBot === true) {
    const known = await store.get<string>("reply-index", replyIndexKey(request, replyTo.messageId));
    return known ?? `${location}:m${replyTo.messageId}`;
  }
  return (await followedUpConversation(request, store)) ?? `${location}:m${request.messageId}`;
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
