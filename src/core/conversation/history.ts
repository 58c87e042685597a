import type { KeyValueStore } from "../ports/key-value-store.js";
import { estimateTextTokens } from "../models/token-estimate.js";
import { KeyedSerializer } from "./keyed-serializer.js";

export interface HistoryTurn {
  readonly role: "user" | "assistant";
  readonly text: string;
  readonly at: number;
  /** For assistant turns: the model that answered. */
  readonly model?: string;
}

/** A conversation untouched for this long is forgotten. */
const historyTimeToLiveMs = 30 * 24 * 60 * 60_000;
/** Kept in the store beyond the turn budget, so a later larger budget has something to use. */
const storedTurnsCeiling = 200;

export async function loadHistory(store: KeyValueStore, conversationId: string): Promise<readonly HistoryTurn[]> {
  return (await store.get<HistoryTurn[]>("history", conversationId)) ?? [];
}

const appends = new KeyedSerializer();

export function appendHistory(store: KeyValueStore, conversationId: string, turns: readonly HistoryTurn[]): Promise<void> {
  return appends.run(conversationId, async () => {
    const current = await loadHistory(store, conversationId);
    const next = [...current, ...turns].slice(-storedTurnsCeiling);
    await store.set("history", conversationId, next, historyTimeToLiveMs);
  });
}

export async function forgetHistory(store: KeyValueStore, conversationId: string): Promise<void> {
  await store.delete("history", conversationId);
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
