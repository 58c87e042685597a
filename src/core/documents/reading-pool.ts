import type { ModelRegistry } from "../models/model-registry.js";

/** One charge in a model's minute: what it holds until it expires. */
interface Charge {
  readonly expiresAt: number;
  tokens: number;
  readonly requests: number;
}

interface PoolModel {
  readonly id: string;
  readonly tokensPerMinute: number;
  readonly requestsPerMinute: number;
  /** The most prompt one call may carry, whatever the minute holds (its context window less the notes' budget). */
  readonly maxPromptTokens: number;
  /** Until when it takes nothing (a cooldown, an open breaker, the day's limits spent). */
  readonly blockedUntil: number;
  readonly charges: Charge[];
}

/** What this reading holds in the models' minutes: its parts, from when each was sent until a minute later. */
export interface HeldCharge {
  readonly model: string;
  readonly expiresAt: number;
  tokens: number;
}

/**
 * The models a reading may use, their minutes as they stand, and what the reading itself holds
 * there: taken from the models' states to decide where the next part goes, or copied to play
 * the rest of a reading forward (reading-estimate.ts). Nothing here reserves quota; the
 * selector does that when a part is sent.
 */
export class PoolSnapshot {
  private constructor(
    private readonly models: readonly PoolModel[],
    private readonly mine: HeldCharge[],
    readonly chargeLengthMs: number,
  ) {}

  static of(registry: ModelRegistry, candidates: readonly string[], now: number, mine: readonly HeldCharge[], completionBudget: number): PoolSnapshot {
    const models: PoolModel[] = [];
    let chargeLengthMs = 60_500;
    for (const id of candidates) {
      const state = registry.state(id);
      const timeline = state.timeline(now, 1);
      if (timeline === undefined) continue;
      chargeLengthMs = timeline.chargeLengthMs;
      const profile = registry.profile(id);
      models.push({
        id,
        tokensPerMinute: timeline.tokensPerMinute,
        requestsPerMinute: timeline.requestsPerMinute,
        maxPromptTokens: Math.max(0, profile.contextWindow - completionBudget),
        blockedUntil: timeline.blockedUntil,
        charges: timeline.charges.map((charge) => ({ ...charge })),
      });
    }
    return new PoolSnapshot(models, mine.filter((charge) => charge.expiresAt > now).map((charge) => ({ ...charge })), chargeLengthMs);
  }

  /** A copy to play forward: placing parts on it changes nothing else. */
  copy(): PoolSnapshot {
    return new PoolSnapshot(
      this.models.map((model) => ({ ...model, charges: model.charges.map((charge) => ({ ...charge })) })),
      this.mine.map((charge) => ({ ...charge })),
      this.chargeLengthMs,
    );
  }

  get modelIds(): readonly string[] {
    return this.models.map((model) => model.id);
  }

  /** The models' tokens per minute together. */
  get tokensPerMinute(): number {
    return this.models.reduce((total, model) => total + model.tokensPerMinute, 0);
  }

  maxPromptTokens(model: string): number {
    return this.model(model)?.maxPromptTokens ?? 0;
  }

  /** Tokens the model's minute can take at `at`; 0 while it is blocked or its requests this minute are spent. */
  room(model: string, at: number): number {
    const found = this.model(model);
    if (found === undefined || found.blockedUntil > at) return 0;
    let tokens = 0;
    let requests = 0;
    for (const charge of found.charges) {
      if (charge.expiresAt <= at) continue;
      tokens += charge.tokens;
      requests += charge.requests;
    }
    if (requests + 1 > found.requestsPerMinute) return 0;
    return Math.max(0, found.tokensPerMinute - tokens);
  }

  /** What this reading holds at `at`, all models together. */
  heldByReading(at: number): number {
    return this.mine.reduce((total, charge) => total + (charge.expiresAt > at ? charge.tokens : 0), 0);
  }

  /** What everyone else holds at `at`: other users' answers, other readings, other processes. */
  heldByOthers(at: number): number {
    let held = 0;
    for (const model of this.models) for (const charge of model.charges) if (charge.expiresAt > at) held += charge.tokens;
    return Math.max(0, held - this.heldByReading(at));
  }

  /** A part sent at `at`: it holds `tokens` for a minute (and a little more, as the models' states count it). */
  place(model: string, at: number, tokens: number): void {
    const expiresAt = at + this.chargeLengthMs;
    this.model(model)?.charges.push({ expiresAt, tokens, requests: 1 });
    this.mine.push({ model, expiresAt, tokens });
  }

  /** The next moment after `at` when some model's room grows (a charge expires, a block ends); undefined if none. */
  nextChangeAfter(at: number): number | undefined {
    let next: number | undefined;
    const consider = (time: number): void => {
      if (time > at && (next === undefined || time < next)) next = time;
    };
    for (const model of this.models) {
      consider(model.blockedUntil);
      for (const charge of model.charges) consider(charge.expiresAt);
    }
    return next;
  }

  private model(id: string): PoolModel | undefined {
    return this.models.find((model) => model.id === id);
  }
}
