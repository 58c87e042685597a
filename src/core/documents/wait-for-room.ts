import type { ModelServices } from "../services.js";
import { withRoomFirst } from "./combine-notes.js";
import type { ReadingLedger } from "./reading-ledger.js";
import { PoolSnapshot } from "./reading-pool.js";
import { Wakeup } from "./wakeup.js";

/** The reading looks again at least this often while it waits. */
const maxWaitMs = 5_000;

/**
 * Waits until some candidate's minute has room for a call of `tokens` (or `until` passes), and
 * returns the candidates with room first. A reading's own calls besides its parts (choosing
 * parts, the final answer) are paced like its parts: sent where there is room, never onto a
 * full minute, where the selector could only queue them or let them through as a probe of
 * Groq's accounting, which a provider that keeps reservations answers with a 429.
 */
export async function candidatesWithRoom(
  services: ModelServices,
  candidates: readonly string[],
  tokens: number,
  ledger: ReadingLedger,
  signal: AbortSignal,
  until: number,
): Promise<readonly string[]> {
  const { clock, registry } = services;
  const wakeup = new Wakeup(clock);
  for (;;) {
    signal.throwIfAborted();
    const now = clock.now();
    const pool = PoolSnapshot.of(registry, candidates, now, ledger.held, 0);
    if (now >= until || pool.modelIds.some((model) => pool.room(model, now) >= tokens)) return withRoomFirst(candidates, pool, now, tokens);
    const next = pool.nextChangeAfter(now);
    await wakeup.until(Math.min(next ?? Number.POSITIVE_INFINITY, now + maxWaitMs, until), signal);
  }
}
