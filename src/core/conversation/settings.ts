import type { ConversationPin } from "../mami-core.js";
import type { KeyValueStore } from "../ports/key-value-store.js";

interface ConversationSettings {
  readonly pin?: ConversationPin;
}

/**
 * Settings are kept per chat location (a private chat, a group, a thread or topic), not per
 * reply thread: in a group every fresh mention starts a new conversation, and a pin that
 * vanished with each of them would be useless.
 */
export async function loadPin(store: KeyValueStore, location: string): Promise<ConversationPin | undefined> {
  return (await store.get<ConversationSettings>("settings", location))?.pin;
}

export async function savePin(store: KeyValueStore, location: string, pin: ConversationPin | undefined): Promise<void> {
  if (pin === undefined) await store.delete("settings", location);
  else await store.set<ConversationSettings>("settings", location, { pin });
}
