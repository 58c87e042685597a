import type { KeyValueStore } from "../ports/key-value-store.js";
import type { Author, ChatLocation } from "../request.js";
import { KeyedSerializer } from "./keyed-serializer.js";

/**
 * A message of a group chat or guild channel that the bot saw, as an adapter hands it to the core
 * (`mami.observeGroupMessage`): what other members wrote, which a fresh mention may ask about.
 */
export interface GroupMessage {
  readonly location: ChatLocation;
  readonly messageId: string;
  readonly author: Pick<Author, "id" | "name" | "isBot">;
  readonly text: string;
  /** When it was written or received, on the core's clock. */
  readonly at: number;
}

/** Who wrote a recorded message: a member, another bot, or Mami itself (its own answers). */
export type GroupMessageSource = "member" | "bot" | "mami";

/** What is kept of one message, per chat location. */
export interface RecordedGroupMessage {
  readonly messageId: string;
  readonly authorId: string;
  readonly authorName: string;
  readonly source: GroupMessageSource;
  readonly text: string;
  readonly at: number;
  /**
   * For Mami's own exchanges: the conversation they belong to. A message that continues that
   * conversation has them in its history already, so they are not shown twice.
   */
  readonly conversationId?: string;
}

/** How much is kept, from GROUP_CONTEXT_MESSAGES and GROUP_CONTEXT_HOURS. */
export interface GroupContextLimits {
  readonly maxMessages: number;
  readonly keptForMs: number;
}

/** A long message is kept in part: the context is for following a discussion, not for reading documents. */
const maxCharactersPerMessage = 1_500;

function clipped(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= maxCharactersPerMessage ? trimmed : `${trimmed.slice(0, maxCharactersPerMessage - 1)}…`;
}

/**
 * Reads and writes of one location run one after another, so a message observed just before a
 * mention (Discord delivers both at once, handled concurrently) is in view when the mention is
 * prepared, and two writes never lose each other within a process.
 */
const byLocation = new KeyedSerializer();

async function loadUnordered(store: KeyValueStore, location: string): Promise<readonly RecordedGroupMessage[]> {
  return (await store.get<RecordedGroupMessage[]>("group-context", location)) ?? [];
}

function stillKept(messages: readonly RecordedGroupMessage[], now: number, keptForMs: number): RecordedGroupMessage[] {
  return messages.filter((message) => message.at > now - keptForMs);
}

/**
 * Adds messages to a location's record: the newest `maxMessages`, each for `keptForMs` (the whole
 * record expires that long after its last message). A message seen twice is kept once. With a
 * limit of 0 nothing is stored at all.
 */
export function recordGroupMessages(
  store: KeyValueStore,
  location: string,
  messages: readonly RecordedGroupMessage[],
  limits: GroupContextLimits,
  now: number,
): Promise<void> {
  if (limits.maxMessages <= 0 || messages.length === 0) return Promise.resolve();
  return byLocation.run(location, async () => {
    const added = messages.filter((message) => message.text.trim() !== "").map((message) => ({ ...message, text: clipped(message.text) }));
    if (added.length === 0) return;
    const addedIds = new Set(added.map((message) => message.messageId));
    const earlier = (await loadUnordered(store, location)).filter((message) => !addedIds.has(message.messageId));
    const kept = stillKept([...earlier, ...added], now, limits.keptForMs)
      .sort((first, second) => first.at - second.at)
      .slice(-limits.maxMessages);
    await store.set("group-context", location, kept, limits.keptForMs);
  });
}

/** The location's recorded messages that have not expired, oldest first. */
export function loadGroupMessages(store: KeyValueStore, location: string, now: number, keptForMs: number): Promise<readonly RecordedGroupMessage[]> {
  return byLocation.run(location, async () => stillKept(await loadUnordered(store, location), now, keptForMs));
}

/** `/reset` in a group: what was recorded of the chat is forgotten with its conversations. */
export function forgetGroupMessages(store: KeyValueStore, location: string): Promise<void> {
  return byLocation.run(location, () => store.delete("group-context", location));
}

/** A message an adapter saw, as it is recorded. */
export function recordedFromObserved(message: GroupMessage): RecordedGroupMessage {
  return {
    messageId: message.messageId,
    authorId: message.author.id,
    authorName: message.author.name,
    source: message.author.isBot ? "bot" : "member",
    text: message.text,
    at: message.at,
  };
}
