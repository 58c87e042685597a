import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { RateLimitSnapshot } from "../ports/model-client.js";
import type { AnswerLength, QuotaLimitName, QuotaLimits, ReserveRequest, RestoredCharge, SharedQuota, SharedSnapshot } from "../ports/shared-quota.js";
import { InProcessQuota } from "./in-process-quota.js";
import type { CompletionAccounting, ModelState, Reservation, ReservationSharing } from "./model-state.js";

/** Processes look at each other's findings at most this often: about one store round trip a request. */
const refreshIntervalMs = 250;
/** Selection goes on with the mirror as it stands rather than wait longer than this for a look. */
const refreshWaitMs = 200;
/** While Redis is away, one attempt to reach it again at most this often. */
const reconnectIntervalMs = 1_000;
/** The probe of Groq's accounting (model-state.ts): one per model across processes this often. */
const probeIntervalMs = 5_000;
/** A refused model is not asked again for the same request sooner than this (the mirror is fresher by then). */
const minimumRefusalMs = 250;
/**
 * After an outage, how long a process keeps to its share as well: a Redis that restarted lost
 * every charge, and another process's charges come back only when it rejoins at its next
 * request. Past a minute (and the margin a charge is kept past it) none of them counts any more.
 */
const cautionAfterRejoinMs = 61_000;

/** The shared quota refused a reservation: the model is not for this request until `until`. */
export interface SharedRefusal {
  readonly model: string;
  readonly until: number;
  readonly reason: string;
}

/** This process's share of a model's limits while each process counts alone: 1/N of each, N the processes seen lately. */
/**
 * What one of `processes` processes may hold of a minute limit while they cannot see each other:
 * what it held before they lost sight of each other, plus its share of the room the minute had
 * left then. However unevenly they held the minute, together they stay within it. What this
 * process saw of the others is as old as its last look (a quarter of a second at most while
 * requests come), so each other process is taken to have booked `sinceLastLook` more meanwhile.
 */
export function shareOfRoom(limit: number, ownBefore: number, othersBefore: number, processes: number, sinceLastLook: number): number {
  const others = othersBefore + (Math.max(1, processes) - 1) * sinceLastLook;
  return ownBefore + Math.max(0, Math.floor((limit - ownBefore - others) / Math.max(1, processes)));
}

export function shareOf(limits: QuotaLimits, processes: number): QuotaLimits {
  const share = 1 / Math.max(1, processes);
  return {
    requestsPerMinute: Math.max(1, Math.floor(limits.requestsPerMinute * share)),
    tokensPerMinute: Math.floor(limits.tokensPerMinute * share),
    requestsPerDay: Math.max(1, Math.floor(limits.requestsPerDay * share)),
    tokensPerDay: Math.floor(limits.tokensPerDay * share),
  };
}

/**
 * This process's side of the quota that processes share (docs/architecture.md, "Scaling out").
 *
 * A model is chosen here, synchronously, from this process's view of its windows, which mirrors
 * the other processes' charges; the reservation is then confirmed on the shared quota, which
 * checks it against the whole organization's windows and books it in one atomic step. A refusal
 * (another process took the quota since the last look) releases the local reservation and the
 * request chooses again. Every later change to a booked reservation (sent, settled, released)
 * follows on the shared quota.
 *
 * While the shared quota cannot be reached, this process goes on alone: it confirms against its
 * own charges with 1/N of each limit (N the processes seen lately), says so once, and when the
 * shared quota answers again books there what it charged meanwhile and shares again, within its
 * 1/N for one more minute (the others' charges return to a restarted Redis only as they rejoin).
 */
export class SharedReservations implements ReservationSharing {
  /** This process's charges still in some window, whatever the mode: what it books again after an outage. */
  private readonly own: InProcessQuota;
  private alone = false;
  private processesSeen = 1;
  private chargeNumber = 0;
  /** Charges released while alone that the shared quota may still hold from before. */
  private releasedWhileAlone: { readonly model: string; readonly id: string }[] = [];
  private lastRefreshAt = Number.NEGATIVE_INFINITY;
  private lastReconnectAt = Number.NEGATIVE_INFINITY;
  /** Until when this process keeps to its share of each limit too, after rejoining. */
  private cautiousUntil = Number.NEGATIVE_INFINITY;
  /** The number of the last charge booked on the shared quota, and of the last before this process last went alone. */
  private lastBookedCharge = 0;
  private lastChargeBeforeOutage = 0;
  /** Per model, the other processes' minute as this process last saw it before going alone. */
  private readonly othersBeforeOutage = new Map<string, ReturnType<ModelState["foreignCharges"]>>();
  private refreshing: Promise<void> | undefined;
  /** Told of the answers other processes finished, so this process's budgets learn from them too. */
  onOthersAnswers: ((answers: readonly AnswerLength[]) => void) | undefined;

  constructor(
    private readonly shared: SharedQuota,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.own = new InProcessQuota(shared.processId);
  }

  /** Whether this process counts alone now (the shared quota could not be reached). */
  get countingAlone(): boolean {
    return this.alone;
  }

  /**
   * Books the reservation on the shared quota (or, while alone, against this process's share).
   * Undefined when it is booked; otherwise the local reservation is released and the refusal says
   * until when the model is not for this request.
   */
  async confirm(state: ModelState, reservation: Reservation): Promise<SharedRefusal | undefined> {
    const now = this.clock.now();
    this.chargeNumber += 1;
    const request: ReserveRequest = {
      model: state.model,
      id: `${this.shared.processId}:${this.chargeNumber}`,
      minuteTokens: reservation.minuteEntry.tokens,
      dayTokens: reservation.dayEntry.tokens,
      minuteExpiresAt: reservation.minuteEntry.expiresAt,
      dayExpiresAt: reservation.dayEntry.expiresAt,
      now,
      limits: state.currentLimits,
      // A probe chosen while the accounting was unknown probes nothing once it is known.
      ...(state.isProbe(reservation) && state.completionAccounting === "unknown" ? { probeIntervalMs } : {}),
    };
    if (!this.alone) {
      // Just back from an outage: within this process's share first (it books the charge here).
      const cautious = now < this.cautiousUntil;
      if (!cautious) this.othersBeforeOutage.clear();
      if (cautious) {
        const withinShare = this.own.reserveNow({ ...request, limits: this.shareWhileUnsure(state, request) });
        if (withinShare.kind === "refused") return this.refused(state, reservation, withinShare.limit, withinShare.fitsAt, "this process's share, just after an outage");
      }
      try {
        const outcome = await this.shared.reserve(request);
        state.mirrorForeignMinute(outcome.foreignMinute, this.clock.now());
        if (outcome.kind === "admitted") return this.booked(request, reservation);
        if (cautious) void this.own.release(request.model, request.id);
        return this.refused(state, reservation, outcome.limit, outcome.fitsAt);
      } catch (error) {
        if (cautious) void this.own.release(request.model, request.id);
        this.goAlone(error);
      }
    }
    const outcome = this.own.reserveNow({ ...request, limits: this.shareWhileUnsure(state, request) });
    if (outcome.kind === "admitted") {
      reservation.sharedChargeId = request.id;
      return undefined;
    }
    return this.refused(state, reservation, outcome.limit, outcome.fitsAt, "this process's share");
  }

  /**
   * This process's limits while it cannot count on seeing the others' charges (alone, or just
   * back): 1/N of each day, and of each minute what it held before plus 1/N of the room left
   * then (`shareOfRoom`), the room freeing as the charges held then expire.
   */
  private shareWhileUnsure(state: ModelState, request: ReserveRequest): QuotaLimits {
    const { now, limits } = request;
    let others = this.othersBeforeOutage.get(state.model);
    if (others === undefined) {
      others = state.foreignCharges();
      this.othersBeforeOutage.set(state.model, others);
    }
    const othersLive = others.filter((charge) => charge.expiresAt > now);
    const ownBefore = this.own
      .ownCharges(now)
      .filter((charge) => charge.model === state.model && charge.minuteExpiresAt > now && chargeNumberOf(charge.id) <= this.lastChargeBeforeOutage);
    return {
      ...shareOf(limits, this.processesSeen),
      requestsPerMinute: shareOfRoom(limits.requestsPerMinute, ownBefore.length, sum(othersLive.map((charge) => charge.requests)), this.processesSeen, 1),
      tokensPerMinute: shareOfRoom(limits.tokensPerMinute, sum(ownBefore.map((charge) => charge.minuteTokens)), sum(othersLive.map((charge) => charge.tokens)), this.processesSeen, request.minuteTokens),
    };
  }

  sent(model: string, reservation: Reservation): void {
    const id = reservation.sharedChargeId;
    if (id === undefined) return;
    void this.own.markSent(model, id, reservation.minuteEntry.expiresAt, reservation.dayEntry.expiresAt);
    if (!this.alone) this.follow(this.shared.markSent(model, id, reservation.minuteEntry.expiresAt, reservation.dayEntry.expiresAt));
  }

  settled(model: string, reservation: Reservation): void {
    const id = reservation.sharedChargeId;
    const settled = reservation.minuteEntry.settled;
    if (id === undefined || settled === undefined) return;
    const { tokens: minuteTokens } = reservation.minuteEntry;
    const { tokens: dayTokens } = reservation.dayEntry;
    const shared = { keptTokens: settled.keptTokens, usedTokens: settled.usedTokens, at: settled.at };
    void this.own.settle(model, id, minuteTokens, dayTokens, shared);
    if (!this.alone) this.follow(this.shared.settle(model, id, minuteTokens, dayTokens, shared));
  }

  released(model: string, reservation: Reservation): void {
    const id = reservation.sharedChargeId;
    if (id === undefined) return;
    void this.own.release(model, id);
    if (this.alone) this.releasedWhileAlone.push({ model, id });
    else this.follow(this.shared.release(model, id));
  }

  /**
   * Reads what the other processes hold and found (their charges, cooldowns, retired models,
   * newest headers, Groq's accounting), at most every quarter of a second, waiting for it at
   * most a fifth of a second. While alone, tries to reach the shared quota again instead.
   */
  async refresh(models: readonly string[], apply: (snapshot: SharedSnapshot) => void): Promise<void> {
    const now = this.clock.now();
    if (now - this.lastRefreshAt < refreshIntervalMs) return;
    if (this.alone && now - this.lastReconnectAt < reconnectIntervalMs) return;
    this.lastRefreshAt = now;
    this.refreshing ??= this.look(models, now, apply).finally(() => {
      this.refreshing = undefined;
    });
    const waited = new AbortController();
    await Promise.race([this.refreshing, this.clock.sleep(refreshWaitMs, waited.signal).catch(() => undefined)]);
    waited.abort();
  }

  publishCooldown(model: string, until: number, reason: string): void {
    if (!this.alone) this.follow(this.shared.publishCooldown(model, until, reason, this.clock.now()));
  }

  publishGone(model: string, reason: string): void {
    if (!this.alone) this.follow(this.shared.publishGone(model, reason));
  }

  publishHeaders(model: string, at: number, snapshot: RateLimitSnapshot): void {
    if (!this.alone) this.follow(this.shared.publishHeaders(model, at, snapshot));
  }

  publishAccounting(accounting: CompletionAccounting): void {
    if (accounting !== "unknown" && !this.alone) this.follow(this.shared.publishAccounting(accounting));
  }

  publishAnswer(answer: AnswerLength): void {
    if (!this.alone) this.follow(this.shared.publishAnswer(answer));
  }

  private async look(models: readonly string[], now: number, apply: (snapshot: SharedSnapshot) => void): Promise<void> {
    if (this.alone) this.lastReconnectAt = now;
    try {
      const snapshot = await this.shared.read(models, now);
      if (this.alone) await this.rejoin(now);
      this.processesSeen = snapshot.processes;
      apply(snapshot);
      if (snapshot.answers.length > 0) this.onOthersAnswers?.(snapshot.answers);
    } catch (error) {
      this.goAlone(error);
    }
  }

  /**
   * The shared quota answers again: book there what this process charged while alone, then
   * share, keeping to this process's share for a minute more (`cautionAfterRejoinMs`).
   */
  private async rejoin(now: number): Promise<void> {
    const charges: RestoredCharge[] = this.own.ownCharges(now);
    await this.shared.restore(charges, now);
    for (const { model, id } of this.releasedWhileAlone.splice(0)) await this.shared.release(model, id);
    this.alone = false;
    this.cautiousUntil = now + cautionAfterRejoinMs;
    this.logger.info({ restoredCharges: charges.length }, "the shared quota (Redis, STORE_URL) answers again: sharing each model's quota with the other processes again");
  }

  private booked(request: ReserveRequest, reservation: Reservation): undefined {
    reservation.sharedChargeId = request.id;
    this.lastBookedCharge = chargeNumberOf(request.id);
    // Kept here too, to be booked again should the shared quota lose it.
    void this.own.restore([request], request.now);
    return undefined;
  }

  private refused(state: ModelState, reservation: Reservation, limit: QuotaLimitName, fitsAt: number, whose = "the organization's"): SharedRefusal {
    state.release(reservation);
    const now = this.clock.now();
    if (limit === "RPD" || limit === "TPD") state.holdForeignDay(limit, fitsAt, now);
    const until = Math.max(fitsAt, now + minimumRefusalMs);
    this.logger.debug({ model: state.model, limit, inMs: until - now, alone: this.alone }, "the shared quota refused a reservation: other processes took that quota since the last look");
    return { model: state.model, until, reason: `${limit} spent (${whose} quota), free in ${Math.ceil((until - now) / 1000)} s` };
  }

  /** A write that failed means the shared quota is out of reach. */
  private follow(writing: Promise<void>): void {
    writing.catch((error: unknown) => this.goAlone(error));
  }

  private goAlone(error: unknown): void {
    if (this.alone) return;
    this.alone = true;
    this.lastReconnectAt = this.clock.now();
    // Still cautious from an earlier outage: what it knew of the others then is the better picture.
    if (this.clock.now() >= this.cautiousUntil) {
      this.lastChargeBeforeOutage = this.lastBookedCharge;
      this.othersBeforeOutage.clear();
    }
    this.logger.warn(
      { processes: this.processesSeen, error: error instanceof Error ? error.message : String(error) },
      `the shared quota (Redis, STORE_URL) cannot be reached: choosing models from this process's own count, with 1/${this.processesSeen} of each model's limits, until it answers again`,
    );
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Charge ids are `processId:number`, numbered in the order this process booked them. */
function chargeNumberOf(id: string): number {
  return Number(id.slice(id.lastIndexOf(":") + 1));
}
