import type { MinuteTimeline } from "../models/model-state.js";

/** A request as the estimate sees it: what it would cost on each model that could take it. */
export type CostByModel = ReadonlyMap<string, number>;

interface Charge {
  expiresAt: number;
  tokens: number;
  requests: number;
}

/** A model's minute, played forward: its charges, and those of the requests placed on it so far. */
class ProjectedMinute {
  private readonly charges: Charge[];

  constructor(private readonly timeline: MinuteTimeline) {
    this.charges = timeline.charges.map((charge) => ({ ...charge }));
  }

  /** The earliest time from `from` at which a call costing `tokens` fits the minute. */
  earliestFit(from: number, tokens: number): number {
    const start = Math.max(from, this.timeline.blockedUntil);
    const live = this.charges.filter((charge) => charge.expiresAt > start).sort((first, second) => first.expiresAt - second.expiresAt);
    let usedTokens = live.reduce((total, charge) => total + charge.tokens, 0);
    let usedRequests = live.reduce((total, charge) => total + charge.requests, 0);
    const fits = (): boolean => usedTokens + tokens <= this.timeline.tokensPerMinute && usedRequests + 1 <= this.timeline.requestsPerMinute;
    if (fits()) return start;
    for (const charge of live) {
      usedTokens -= charge.tokens;
      usedRequests -= charge.requests;
      if (fits()) return charge.expiresAt;
    }
    return Number.POSITIVE_INFINITY;
  }

  /** A call placed at `at`: it holds its whole reservation to get in, then what it settles to. */
  place(at: number, tokens: number): void {
    this.charges.push({ expiresAt: at + this.timeline.chargeLengthMs, tokens: tokens * this.timeline.settledShare, requests: 1 });
  }
}

/** A request waiting ahead: what it would cost each model, and when it stops waiting. */
export interface WaitingAhead {
  readonly costs: CostByModel;
  readonly deadlineAt: number;
}

/**
 * When a request would get a model, played forward rather than guessed from rates: the awaited
 * models' minutes as they stand, the requests ahead of it placed one by one in arrival order on
 * whichever of their models frees first (as the queue will serve them), then the request itself.
 * One ahead that no model fits before it stops waiting takes nothing: it will have given up.
 * Undefined when no model could ever take it.
 */
export function estimateStart(now: number, timelines: ReadonlyMap<string, MinuteTimeline>, ahead: readonly WaitingAhead[], request: CostByModel): number | undefined {
  const minutes = new Map([...timelines].map(([model, timeline]) => [model, new ProjectedMinute(timeline)]));
  const placeEarliest = (costs: CostByModel, deadlineAt: number): number => {
    let best: { readonly model: string; readonly at: number; readonly tokens: number } | undefined;
    for (const [model, tokens] of costs) {
      const at = minutes.get(model)?.earliestFit(now, tokens) ?? Number.POSITIVE_INFINITY;
      if (best === undefined || at < best.at) best = { model, at, tokens };
    }
    if (best === undefined || !Number.isFinite(best.at) || best.at > deadlineAt) return Number.POSITIVE_INFINITY;
    minutes.get(best.model)?.place(best.at, best.tokens);
    return best.at;
  };
  for (const waiting of ahead) placeEarliest(waiting.costs, waiting.deadlineAt);
  const start = placeEarliest(request, Number.POSITIVE_INFINITY);
  return Number.isFinite(start) ? start : undefined;
}
