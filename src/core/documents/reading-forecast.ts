import type { PartSource } from "./parts.js";
import { nextPlacement, reservationFor, type PlacementRules } from "./part-placement.js";
import type { PoolSnapshot } from "./reading-pool.js";

/** A reading played forward on the models' minutes as they stand, before (or while) it runs. */
export interface ReadingForecast {
  /** Parts still to send. */
  readonly parts: number;
  /** When the last of them would be sent; `from` when there are none. */
  readonly lastSendAt: number;
  /** What they would charge at most: prompts and whole completion budgets. */
  readonly tokens: number;
}

/** Steps at most: a reading of the largest PDF Mami reads takes a few hundred. */
const maxSteps = 100_000;

/**
 * Plays the rest of a reading forward with the same placement the reading uses, on a copy of
 * the pool: each part sent as soon as a model has room, waiting for the next charge to expire
 * otherwise. Others' use is taken as it stands and frees as it expires (nobody new arrives).
 * Undefined when some part could never be sent (larger than any model's whole minute).
 */
export function forecastReading(pool: PoolSnapshot, from: number, source: PartSource, rules: PlacementRules): ReadingForecast | undefined {
  const played = pool.copy();
  const rest = source.clone();
  let at = from;
  let parts = 0;
  let tokens = 0;
  let lastSendAt = from;
  for (let step = 0; step < maxSteps && !rest.finished; step += 1) {
    const placement = nextPlacement(played, at, rules);
    const part = placement === undefined ? undefined : rest.take(placement.textRoom);
    if (placement !== undefined && part !== undefined) {
      const promptTokens = rules.promptOverheadTokens + part.tokens;
      played.place(placement.model, at, reservationFor(promptTokens, rules.completionBudget));
      parts += 1;
      tokens += promptTokens + rules.completionBudget;
      lastSendAt = at;
      continue;
    }
    const next = played.nextChangeAfter(at);
    if (next === undefined) return undefined;
    at = next;
  }
  return rest.finished ? { parts, lastSendAt, tokens } : undefined;
}
