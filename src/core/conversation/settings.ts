import type { KeyValueStore } from "../ports/key-value-store.js";
import type { AnswerRole } from "../roles.js";

/** A conversation's pin: a role or a single model that overrides routing; absent means auto. */
export type ConversationPin = { readonly role: AnswerRole } | { readonly model: string };

interface ConversationSettings {
  readonly pin?: ConversationPin;
  /** History older than this is ignored: `/reset` in a group, where each reply thread is its own conversation. */
  readonly resetAt?: number;
  /** The chat's own system prompt (`/persona`, persona.ts); absent means none. */
  readonly persona?: string;
}

/**
 * Settings are kept per chat location (a private chat, a group, a thread or topic), not per
 * reply thread: in a group every fresh mention starts a new conversation, and a pin that
 * vanished with each of them would be useless.
 */
export async function loadSettings(store: KeyValueStore, location: string): Promise<ConversationSettings> {
  return (await store.get<ConversationSettings>("settings", location)) ?? {};
}

async function updateSettings(store: KeyValueStore, location: string, change: (current: ConversationSettings) => ConversationSettings): Promise<void> {
  const next = change(await loadSettings(store, location));
  if (next.pin === undefined && next.resetAt === undefined && next.persona === undefined) await store.delete("settings", location);
  else await store.set<ConversationSettings>("settings", location, next);
}

export async function savePin(store: KeyValueStore, location: string, pin: ConversationPin | undefined): Promise<void> {
  await updateSettings(store, location, ({ pin: _previous, ...others }) => ({ ...others, ...(pin === undefined ? {} : { pin }) }));
}

/** Sets the chat's persona; undefined removes it. */
export async function savePersona(store: KeyValueStore, location: string, persona: string | undefined): Promise<void> {
  await updateSettings(store, location, ({ persona: _previous, ...others }) => ({ ...others, ...(persona === undefined ? {} : { persona }) }));
}

/** Marks every conversation of a location as forgotten up to now. */
export async function saveResetTime(store: KeyValueStore, location: string, now: number): Promise<void> {
  await updateSettings(store, location, (current) => ({ ...current, resetAt: now }));
}
