import { estimateMargin } from "../models/token-estimate.js";
import type { PoolSnapshot } from "./reading-pool.js";

/** How a reading shares the models' minutes with everyone else. */
export interface PlacementRules {
  /**
   * Kept free on at least one model whatever the reading does: room for an ordinary answer
   * (a short prompt and the chat role's completion budget), so a message that arrives while a
   * document is read is answered at once. More is kept when others are using more: twice what
   * they hold in the minute now (see `othersDemandFactor`).
   */
  readonly headroomTokens: number;
  /** The most of the models' tokens per minute, together, the reading holds at a time (DOCUMENT_MINUTE_PERCENT). */
  readonly maxMinuteShare: number;
  /** The completion budget each part's call reserves. */
  readonly completionBudget: number;
  /** What each part's prompt carries besides its text: instructions, the question, its label. */
  readonly promptOverheadTokens: number;
}

/**
 * What others used in the last minute is what they are likely to want in the next; room for
 * twice that is kept, so a busier minute than the last still finds room at once. As others'
 * use grows the reading backs off, down to nothing while they need every model.
 */
const othersDemandFactor = 2;

/** Where the next part goes, and how much text it may carry. */
export interface Placement {
  readonly model: string;
  readonly textRoom: number;
  /** The other models, most room first: where the part falls back to if its model fails. */
  readonly fallbacks: readonly string[];
}

/** What a call with this prompt reserves: the selector's margin on the prompt, and the whole completion budget. */
export function reservationFor(promptTokens: number, completionBudget: number): number {
  return Math.ceil(promptTokens * estimateMargin) + completionBudget;
}

/** The prompt tokens a reservation of `tokens` leaves room for. */
function promptRoomIn(tokens: number, completionBudget: number): number {
  return Math.floor((tokens - completionBudget) / estimateMargin);
}

/**
 * The model with the most room takes the next part, cut to fill that room, so each model's
 * minute is used whole rather than a fixed part's remainder at a time. Two things are left for
 * others: some model keeps room for at least one ordinary answer (more while others use more),
 * and the reading never holds more than its share of the minute. Undefined when no model has
 * room for a part now.
 */
export function nextPlacement(pool: PoolSnapshot, at: number, rules: PlacementRules): Placement | undefined {
  const rooms = pool.modelIds.map((model) => ({ model, room: pool.room(model, at) })).sort((first, second) => second.room - first.room);
  const best = rooms[0];
  if (best === undefined || best.room <= 0) return undefined;
  const headroom = Math.max(rules.headroomTokens, othersDemandFactor * pool.heldByOthers(at));
  const othersHaveRoom = (rooms[1]?.room ?? 0) >= headroom;
  const shareLeft = rules.maxMinuteShare * pool.tokensPerMinute - pool.heldByReading(at);
  const usable = Math.min(best.room - (othersHaveRoom ? 0 : headroom), shareLeft);
  const promptRoom = Math.min(promptRoomIn(usable, rules.completionBudget), pool.maxPromptTokens(best.model));
  const textRoom = promptRoom - rules.promptOverheadTokens;
  if (textRoom <= 0) return undefined;
  return { model: best.model, textRoom, fallbacks: rooms.slice(1).map((entry) => entry.model) };
}
