import type { KeyValueStore } from "../ports/key-value-store.js";
import { estimateTextTokens } from "../models/token-estimate.js";
import { KeyedSerializer } from "./keyed-serializer.js";
import { loadDocument, type DocumentReference } from "./stored-documents.js";

/** A turn as a prompt uses it: the whole text a model reads. */
export interface HistoryTurn {
  readonly role: "user" | "assistant";
  readonly text: string;
  readonly at: number;
  /** For assistant turns: the model that answered. */
  readonly model?: string;
}

/**
 * A turn as the store keeps it: a user's turn without its long files, which it names instead
 * (stored-documents.ts). Its text is `text`, then each document's, in order.
 */
export interface StoredTurn extends HistoryTurn {
  readonly documents?: readonly DocumentReference[];
}

/** A conversation untouched for this long is forgotten. */
const historyTimeToLiveMs = 30 * 24 * 60 * 60_000;
/** Kept in the store beyond the turn budget, so a later larger budget has something to use. */
const storedTurnsCeiling = 200;
/**
 * The most a conversation's stored history holds, in bytes of JSON: older turns are dropped
 * first. Long files are kept outside it, so this is words and answers: 256 KB is about 64,000
 * tokens, more than any free-tier model takes in one prompt (8,000) and half the largest
 * context window, while reading and rewriting it with every message stays cheap.
 */
export const maxStoredHistoryBytes = 256 * 1024;

export async function loadHistory(store: KeyValueStore, conversationId: string): Promise<readonly StoredTurn[]> {
  return (await store.get<StoredTurn[]>("history", conversationId)) ?? [];
}

function turnBytes(turn: StoredTurn): number {
  return Buffer.byteLength(JSON.stringify(turn));
}

/** The newest turns within the turn ceiling and the byte cap, oldest first. */
export function capStoredHistory(turns: readonly StoredTurn[], maxBytes: number = maxStoredHistoryBytes): readonly StoredTurn[] {
  const kept: StoredTurn[] = [];
  let bytes = 0;
  for (let index = turns.length - 1; index >= 0 && kept.length < storedTurnsCeiling; index -= 1) {
    const turn = turns[index];
    if (turn === undefined) continue;
    bytes += turnBytes(turn);
    if (bytes > maxBytes) break;
    kept.unshift(turn);
  }
  return kept;
}

const appends = new KeyedSerializer();

export function appendHistory(store: KeyValueStore, conversationId: string, turns: readonly StoredTurn[]): Promise<void> {
  return appends.run(conversationId, async () => {
    const current = await loadHistory(store, conversationId);
    await store.set("history", conversationId, capStoredHistory([...current, ...turns]), historyTimeToLiveMs);
  });
}

export async function forgetHistory(store: KeyValueStore, conversationId: string): Promise<void> {
  await store.delete("history", conversationId);
}

/** What a stored turn costs in a prompt with its documents, known without reading them. */
export function storedTurnTokens(turn: StoredTurn): number {
  return estimateTextTokens(turn.text) + 4 + (turn.documents ?? []).reduce((total, document) => total + document.tokens, 0);
}

/**
 * The turns with their documents' text read back, for the prompt. Only the documents that some
 * answer model could still take are read: those of the newest `maxTurns` turns (no prompt has
 * more) while the turns so far, newest first, stay within `maxTokens` (the largest history any
 * model takes); a document past that, or expired, is named instead, since no prompt could hold
 * it. Which turns a prompt then keeps is decided where prompts are made (conversation-prompt.ts).
 */
export async function resolveHistory(store: KeyValueStore, turns: readonly StoredTurn[], limits: { readonly maxTurns: number; readonly maxTokens: number }): Promise<readonly HistoryTurn[]> {
  const worthReading = new Set<number>();
  let tokens = 0;
  for (let index = turns.length - 1; index >= Math.max(0, turns.length - limits.maxTurns); index -= 1) {
    const turn = turns[index];
    if (turn === undefined) continue;
    tokens += storedTurnTokens(turn);
    if (tokens > limits.maxTokens) break;
    worthReading.add(index);
  }
  return Promise.all(
    turns.map(async ({ documents, ...turn }, index): Promise<HistoryTurn> => {
      if (documents === undefined || documents.length === 0) return turn;
      const texts = await Promise.all(
        documents.map(async (document) => {
          if (!worthReading.has(index)) return `${document.label} [too long to include again]`;
          return (await loadDocument(store, document)) ?? `${document.label} [no longer kept]`;
        }),
      );
      return { ...turn, text: [turn.text, ...texts].filter((part) => part !== "").join("\n\n") };
    }),
  );
}

/**
 * The newest turns that fit both the turn budget and the token budget, oldest first. A
 * conversation never starts with an assistant turn, which would confuse some models.
 */
export function trimHistory(turns: readonly HistoryTurn[], maxTurns: number, maxTokens: number): readonly HistoryTurn[] {
  const kept: HistoryTurn[] = [];
  let tokens = 0;
  for (let index = turns.length - 1; index >= 0 && kept.length < maxTurns; index -= 1) {
    const turn = turns[index];
    if (turn === undefined) continue;
    const cost = estimateTextTokens(turn.text) + 4;
    if (tokens + cost > maxTokens) break;
    tokens += cost;
    kept.unshift(turn);
  }
  while (kept[0]?.role === "assistant") kept.shift();
  return kept;
}

export function historyTokens(turns: readonly HistoryTurn[]): number {
  return turns.reduce((total, turn) => total + estimateTextTokens(turn.text) + 4, 0);
}
