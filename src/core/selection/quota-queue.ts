import type { ModelRegistry } from "../models/model-registry.js";
import type { Clock } from "../ports/clock.js";
import type { MinuteTimeline } from "../models/model-state.js";
import type { ModelSelector, Selection, SelectionRequest } from "./model-selector.js";
import { SharedRefusals } from "./shared-refusals.js";
import { estimateStart, type CostByModel, type WaitingAhead } from "./wait-estimate.js";

type NoneSelected = Extract<Selection, { kind: "none" }>;
type Selected = Extract<Selection, { kind: "selected" }>;
type SharedRefusalOrNone = Awaited<ReturnType<ModelRegistry["confirmShared"]>>;
/**
 * Per model, the tokens later requests must leave room for: what each answer under way (a
 * continuation) waiting for it will need, and what the first new message waiting for it will, as
 * if they started together. Later requests go ahead only in the room that leaves.
 */
interface Claim {
  tokens: number;
  newMessageClaimed: boolean;
}
type Claims = Map<string, Claim>;

function claim(claims: Claims, model: string, waiter: Waiter): void {
  // A new message that no model frees for before it gives up keeps no room: it would only close
  // it to others. An answer under way keeps its room whatever: it is cut short otherwise.
  if (!waiter.underWay && waiter.earliestAvailableAt !== undefined && waiter.earliestAvailableAt > waiter.deadlineAt) return;
  const cost = waiter.costs.get(model) ?? Number.POSITIVE_INFINITY;
  const claimed = claims.get(model) ?? { tokens: 0, newMessageClaimed: false };
  if (!waiter.underWay) {
    if (claimed.newMessageClaimed) return;
    claimed.newMessageClaimed = true;
  }
  claimed.tokens += cost;
  claims.set(model, claimed);
}

/**
 * A waiter's place: answers under way (continuations) first, then new messages, each in the
 * order their messages arrived. An answer the user is already reading is finished before a new
 * one starts: a cut answer that waits behind new messages until its deadline wastes every token
 * it took, and the new ones gain nothing it did not lose.
 */
interface Place {
  readonly underWay: boolean;
  readonly arrivedAt: number;
}

function placeOf(request: SelectionRequest, arrivedAt: number): Place {
  return { underWay: request.underWay === true, arrivedAt };
}

/** Negative when `first` is served before `second`, positive when after, 0 on a tie. */
function servingOrder(first: Place, second: Place): number {
  if (first.underWay !== second.underWay) return first.underWay ? -1 : 1;
  return first.arrivedAt - second.arrivedAt;
}

/** Whether `first` is served before `second` (or with it, on a tie). */
function isAheadOf(first: Place, second: Place): boolean {
  return servingOrder(first, second) <= 0;
}

/**
 * What a message still to come will cost each model, as far as anyone can tell before it is
 * routed: the median of what those waiting would cost it, or what `own` (a request's own cost,
 * when it has one) would. Without `own`, every model those waiting would take counts.
 */
function typicalCosts(waiting: readonly { readonly costs: CostByModel }[], own?: CostByModel): CostByModel {
  const models = own === undefined ? new Set(waiting.flatMap(({ costs }) => [...costs.keys()])) : new Set(own.keys());
  const typical = new Map<string, number>();
  for (const model of models) {
    const known = waiting.flatMap(({ costs }) => costs.get(model) ?? []).sort((first, second) => first - second);
    const median = known[Math.floor(known.length / 2)] ?? own?.get(model);
    if (median !== undefined) typical.set(model, median);
  }
  return typical;
}

/** A message waiting in the RequestGate, as the quota queue counts it (QuotaQueue.expectLater). */
export interface ComingMessage {
  /**
   * About how long it will wait for a model once its turn comes, behind those ahead of it: its
   * route, and so its cost, is not known yet, so it costs what those waiting typically do.
   * Undefined while nobody waits for quota, when there is no telling.
   */
  estimateWaitMs(maxQueueWaitMs: number): number | undefined;
  /** Its turn came (it then waits here itself, if it must), or it left. */
  stop(): void;
}

interface Waiter extends Place {
  readonly request: SelectionRequest;
  /** When it stops waiting. */
  readonly deadlineAt: number;
  readonly sequence: number;
  /** The models it waits for, as of the last pass: later arrivals may not take them first. */
  waitingOn: readonly string[];
  earliestAvailableAt: number | undefined;
  /** What it would cost each model that could take it, for the estimates of those behind it. */
  readonly costs: CostByModel;
  readonly settle: (selection: Selection) => void;
  /** Models the shared quota refused it, until they free. */
  readonly refusals: SharedRefusals;
  /** Its model is being booked on the shared quota: passes leave it alone meanwhile. */
  confirming: boolean;
}

/**
 * The one queue in front of every model's quota. When no model can take a request now, it waits
 * here in arrival order (the time its message arrived, whatever its chat; answers under way
 * ahead of new messages, see Place), and one timer, set for
 * the moment the earliest awaited model frees up, serves the queue from the front: no waiter
 * polls. A request that arrives while others wait does not overtake them on the models they wait
 * for, except in the room the first of them will leave beside itself when the model frees for it
 * (backfilling: that one starts no later for it). See docs/architecture.md, "Capacity".
 *
 * When processes share the quota (Redis), a model chosen here is handed over only once the
 * shared quota booked it (ModelRegistry.confirmShared); a refusal puts the request back in its
 * place with that model set aside until it frees. Choosing stays synchronous, so one pass still
 * serves the queue in order; only the booking waits for Redis. See "Scaling out".
 */
export class QuotaQueue {
  private readonly waiters: Waiter[] = [];
  /** Messages that will come to wait later (expectLater): new messages, placed by when they arrived. */
  private readonly coming = new Set<Place>();
  private sequence = 0;
  private timer: { readonly at: number; readonly cancel: AbortController } | undefined;

  constructor(
    private readonly selector: ModelSelector,
    private readonly registry: ModelRegistry,
    private readonly clock: Clock,
  ) {}

  get length(): number {
    return this.waiters.length;
  }

  /**
   * Selects now, leaving alone the models that requests which arrived earlier are waiting for,
   * and books the choice on the shared quota; a model it refuses is set aside and the next tried.
   */
  async selectNow(request: SelectionRequest, arrivedAt: number): Promise<Selection> {
    const refusals = new SharedRefusals();
    // A model refused twice is set aside, so this ends within twice the candidates.
    for (;;) {
      const now = this.clock.now();
      const selection = this.selector.select(refusals.excluding(this.withoutClaimed(request, this.claimedAhead(placeOf(request, arrivedAt)), undefined, now), now), now);
      if (selection.kind === "none") return refusals.intoNone(selection, now);
      const refusal = await this.registry.confirmShared(selection);
      if (refusal === undefined) return refusals.intoSelected(selection);
      refusals.add(refusal);
    }
  }

  /**
   * About how long a request would wait: the awaited models' minutes played forward with the
   * requests ahead of it (wait-estimate.ts). Undefined when no model could ever take it.
   */
  estimateWaitMs(request: SelectionRequest, arrivedAt: number): number | undefined {
    const now = this.clock.now();
    return this.estimateAt(placeOf(request, arrivedAt), this.selector.costs(request, now), request.call.spec.maxQueueWaitMs, now);
  }

  /** How long a request at `place` costing `costs` would wait, with those ahead of it and those still to come ahead of it. */
  private estimateAt(place: Place, costs: CostByModel, maxQueueWaitMs: number, now: number): number | undefined {
    const waitersAhead = this.waiters.filter((waiter) => isAheadOf(waiter, place));
    const coming = this.comingAhead(place, maxQueueWaitMs, typicalCosts(waitersAhead, costs));
    const ahead = [...waitersAhead, ...coming].sort(servingOrder).map((waiting) => ({ costs: waiting.costs, deadlineAt: waiting.deadlineAt }));
    const timelines = new Map<string, MinuteTimeline>();
    for (const costsOfOne of [...ahead.map((waiting) => waiting.costs), costs]) {
      for (const [model, tokens] of costsOfOne) {
        if (timelines.has(model)) continue;
        const timeline = this.registry.state(model).timeline(now, tokens);
        if (timeline !== undefined) timelines.set(model, timeline);
      }
    }
    const start = estimateStart(now, timelines, ahead, costs);
    return start === undefined ? undefined : Math.max(0, start - now);
  }

  /**
   * A message that arrived but waits in the RequestGate for its conversation's (or its user's)
   * previous request, and will ask for a model later. It will take its place by its arrival,
   * ahead of every later message, so until then the wait estimates of those count it, as costing
   * what a waiter typically does: otherwise they are told a wait that its coming breaks, and learn
   * only at their deadline that it was not enough. (A command waiting there counts too, though
   * most need no model: the estimate errs a little long rather than short.) The message itself
   * is told about how long it will wait (`estimateWaitMs`), so that its user sees at once that
   * it is queued. `stop` takes it out once its turn comes (it then waits here itself, if it
   * must) or it leaves.
   */
  expectLater(arrivedAt: number): ComingMessage {
    const coming: Place = { underWay: false, arrivedAt };
    this.coming.add(coming);
    return {
      estimateWaitMs: (maxQueueWaitMs) => {
        if (this.waiters.length === 0) return undefined;
        return this.estimateAt(coming, typicalCosts(this.waiters), maxQueueWaitMs, this.clock.now());
      },
      stop: () => {
        this.coming.delete(coming);
      },
    };
  }

  /** Messages still to come that will be served before `place`: each costs `costs` and waits at most as long as a new message may. */
  private comingAhead(place: Place, maxQueueWaitMs: number, costs: CostByModel): (Place & WaitingAhead)[] {
    return [...this.coming].filter((coming) => coming !== place && isAheadOf(coming, place)).map((coming) => ({ ...coming, costs, deadlineAt: coming.arrivedAt + maxQueueWaitMs }));
  }

  /**
   * Waits in line until a model takes the request (resolves with it, reserved), the deadline
   * passes or nothing could ever take it (resolves with why), or the signal aborts (rejects).
   */
  wait(request: SelectionRequest, arrivedAt: number, deadlineAt: number, signal?: AbortSignal): Promise<Selection> {
    return new Promise<Selection>((resolve, reject) => {
      const deadlineTimer = new AbortController();
      const leave = (): void => {
        deadlineTimer.abort();
        signal?.removeEventListener("abort", onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        request,
        ...placeOf(request, arrivedAt),
        deadlineAt,
        sequence: (this.sequence += 1),
        waitingOn: [],
        earliestAvailableAt: undefined,
        costs: this.selector.costs(request, this.clock.now()),
        refusals: new SharedRefusals(),
        confirming: false,
        settle: (selection) => {
          leave();
          resolve(selection);
          // Whoever is next may fit in what this one did not take.
          if (selection.kind === "none") this.schedule(this.clock.now());
        },
      };
      const onAbort = (): void => {
        leave();
        reject(signal?.reason as Error);
        this.schedule(this.clock.now());
      };
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      this.insertInPlace(waiter);
      this.clock.sleep(Math.max(0, deadlineAt - this.clock.now()), deadlineTimer.signal).then(
        () => waiter.settle(this.noneFor(waiter)),
        () => undefined,
      );
      this.serve();
    });
  }

  /** Quota came back early (a reservation released, or settled below what it held): serve now. */
  quotaFreed(): void {
    if (this.waiters.length > 0) this.schedule(this.clock.now());
  }

  /** One pass from the front: each waiter takes what it can, or claims what it waits for. */
  private serve(): void {
    const now = this.clock.now();
    const claims: Claims = new Map();
    let nextAt: number | undefined;
    for (const waiter of [...this.waiters]) {
      if (waiter.confirming) continue;
      const chosen = this.selector.select(waiter.refusals.excluding(this.withoutClaimed(waiter.request, claims, waiter.costs, now), now), now);
      if (chosen.kind === "selected") {
        this.hand(waiter, chosen);
        continue;
      }
      const selection = waiter.refusals.intoNone(chosen, now);
      if (selection.waitingOn.length === 0 && selection.earliestAvailableAt === undefined && claims.size === 0) {
        // Nothing could ever take it, whoever else waits.
        waiter.settle(selection);
        continue;
      }
      waiter.waitingOn = selection.waitingOn;
      waiter.earliestAvailableAt = selection.earliestAvailableAt;
      for (const model of selection.waitingOn) claim(claims, model, waiter);
      if (selection.earliestAvailableAt !== undefined) nextAt = Math.min(nextAt ?? Number.POSITIVE_INFINITY, selection.earliestAvailableAt);
    }
    if (nextAt !== undefined) this.schedule(nextAt);
  }

  /**
   * Gives the waiter its model, once the shared quota booked it when processes share one. A
   * refusal puts it back in line with that model set aside; a waiter that left meanwhile (its
   * deadline, or an abort) gives the booked quota back.
   */
  private hand(waiter: Waiter, selection: Selected): void {
    if (!this.registry.sharesQuota) {
      waiter.settle(selection);
      return;
    }
    waiter.confirming = true;
    const booked = (refusal: SharedRefusalOrNone): void => {
      waiter.confirming = false;
      if (!this.waiters.includes(waiter)) {
        if (refusal === undefined) this.registry.state(selection.model).release(selection.reservation);
        this.schedule(this.clock.now());
        return;
      }
      if (refusal === undefined) {
        waiter.settle(waiter.refusals.intoSelected(selection));
        return;
      }
      waiter.refusals.add(refusal);
      this.schedule(this.clock.now());
    };
    const failed = (): void => {
      // Not booked (confirmShared does not fail, but if it did): the quota goes back, and the model waits a second.
      this.registry.state(selection.model).release(selection.reservation);
      booked({ model: selection.model, until: this.clock.now() + 1_000, reason: "could not be booked on the shared quota" });
    };
    this.registry.confirmShared(selection).then(booked, failed);
  }

  /** Sets the one timer for `at`, unless it is already set as early. */
  private schedule(at: number): void {
    if (this.timer !== undefined && this.timer.at <= at) return;
    this.timer?.cancel.abort();
    const cancel = new AbortController();
    const timer = { at, cancel };
    this.timer = timer;
    this.clock.sleep(Math.max(0, at - this.clock.now()), cancel.signal).then(
      () => {
        if (this.timer === timer) this.timer = undefined;
        this.serve();
      },
      () => undefined,
    );
  }

  private claimedAhead(place: Place): Claims {
    const claims: Claims = new Map();
    for (const waiter of this.waiters) {
      if (!isAheadOf(waiter, place)) break;
      for (const model of waiter.waitingOn) claim(claims, model, waiter);
    }
    return claims;
  }

  /**
   * The request without the models claimed by those ahead of it, except where it fits in the
   * room the first of them leaves beside itself (ModelState.roomBeside): a call that fits there
   * now still leaves that one its room when the minute frees for it, so it starts no later.
   */
  private withoutClaimed(request: SelectionRequest, claims: Claims, costs: CostByModel | undefined, now: number): SelectionRequest {
    if (claims.size === 0) return request;
    const costOnModel = costs ?? this.selector.costs(request, now);
    const excluded = new Set(request.excluded);
    for (const [model, claimed] of claims) {
      const cost = costOnModel.get(model);
      const room = this.registry.state(model).roomBeside(now, claimed.tokens);
      if (cost === undefined || room.requests < 1 || cost > room.tokens) excluded.add(model);
    }
    return { ...request, excluded };
  }

  private noneFor(waiter: Waiter): NoneSelected {
    return { kind: "none", earliestAvailableAt: waiter.earliestAvailableAt, waitingOn: waiter.waitingOn, skipped: [] };
  }

  private insertInPlace(waiter: Waiter): void {
    const index = this.waiters.findIndex((other) => !isAheadOf(other, waiter));
    if (index === -1) this.waiters.push(waiter);
    else this.waiters.splice(index, 0, waiter);
  }
}
