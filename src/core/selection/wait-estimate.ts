import { runningCharge, type MinuteTimeline, type TimelineCharge } from "../models/model-state.js";

/** A request as the estimate sees it: what it would cost on each model that could take it. */
export type CostByModel = ReadonlyMap<string, number>;

/** What a charge holds at `at`: its reservation until it settles, then what it settles to. */
function heldAt(charge: TimelineCharge, at: number): number {
  return charge.settles !== undefined && charge.settles.at <= at ? charge.settles.tokens : charge.tokens;
}

/** A model's minute, played forward: its charges, and those of the requests placed on it so far. */
class ProjectedMinute {
  private readonly charges: TimelineCharge[];

  constructor(private readonly timeline: MinuteTimeline) {
    this.charges = [...timeline.charges];
  }

  /**
   * The earliest time from `from` at which a call costing `tokens` fits the minute. What the
   * minute holds only falls as time goes on (charges settle, then leave), so the moments it
   * falls are the only candidates, taken in order.
   */
  earliestFit(from: number, tokens: number): number {
    const start = Math.max(from, this.timeline.blockedUntil);
    let heldTokens = 0;
    let heldRequests = 0;
    const falls: { readonly at: number; readonly tokens: number; readonly requests: number }[] = [];
    for (const charge of this.charges) {
      if (charge.expiresAt <= start) continue;
      heldTokens += heldAt(charge, start);
      heldRequests += charge.requests;
      if (charge.settles !== undefined && charge.settles.at > start && charge.settles.at < charge.expiresAt) falls.push({ at: charge.settles.at, tokens: charge.tokens - charge.settles.tokens, requests: 0 });
      falls.push({ at: charge.expiresAt, tokens: heldAt(charge, charge.expiresAt), requests: charge.requests });
    }
    const fits = (): boolean => heldTokens + tokens <= this.timeline.tokensPerMinute && heldRequests + 1 <= this.timeline.requestsPerMinute;
    if (fits()) return start;
    falls.sort((first, second) => first.at - second.at);
    for (const [index, fall] of falls.entries()) {
      heldTokens -= fall.tokens;
      heldRequests -= fall.requests;
      // Several charges may fall at the same moment: the minute is read once all have.
      if (falls[index + 1]?.at !== fall.at && fits()) return fall.at;
    }
    return Number.POSITIVE_INFINITY;
  }

  /** A call placed at `at`: it holds its whole reservation while it runs, then what it settles to. */
  place(at: number, tokens: number): void {
    this.charges.push(runningCharge({ expiresAt: at + this.timeline.chargeLengthMs, tokens, requests: 1 }, at, at, this.timeline));
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
