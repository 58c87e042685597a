import type { ModelCallError } from "../errors.js";
import { failurePolicy } from "./failure-policy.js";
import type { RateLimitSnapshot, TokenUsage } from "../ports/model-client.js";
import type { ForeignMinute } from "../ports/shared-quota.js";
import { foreignBucketMs } from "./shared-quota-rules.js";
import type { ModelLimits } from "./catalog.js";
import { UsageWindow, type AccountingHypotheses, type UsageEntry } from "./usage-window.js";

const minuteMs = 60_000;
const dayMs = 24 * 60 * 60_000;
/** Breaker: after this many transient failures in a row, stop sending for a while. */
const breakerThreshold = 2;
const breakerBaseMs = 15_000;
const breakerMaxMs = 5 * 60_000;
/** A 429 with no usable wait still cools the model down briefly. */
const minimumCooldownMs = 1_000;

/**
 * Whether Groq keeps a call's whole completion budget against TPM or gives back what was not
 * used is not documented (docs/groq.md); the headers tell. Until they do, assume it is kept.
 */
export type CompletionAccounting = "unknown" | "reservation_kept" | "usage_only";
/** Readings, net, that settle the accounting question either way. */
const accountingEvidenceNeeded = 3;
const accountingEvidenceCap = 6;
/** Below this many tokens between the two ways of counting, a reading tells nothing. */
const accountingMinimumDifference = 150;
/**
 * A reading taken while one of our charges is about to leave the window, or that left it after
 * the headers were written, could see Groq's window and ours a moment apart: such readings are
 * not used.
 */
const accountingEdgeMs = 1_500;
/**
 * Groq's minute for a call starts when it admits it, a little after we send it: our charge
 * stays this much longer, so our window never frees quota that Groq still counts.
 */
const sendToAdmissionMarginMs = 500;
/** A reading whose two ways of counting differ by this share of TPM can settle the question alone. */
const decisiveDifferenceShare = 0.1;
/** At most one probe of the accounting at a time, and not more often than this. */
const probeIntervalMs = 5_000;

/**
 * How long a call runs before it settles, until calls on the model tell (a model streams a long
 * answer in a few seconds); the estimate learns it from each call it settles.
 */
const initialCallDurationMs = 3_000;
/** How fast the learned figures (the share a call uses, its duration) follow new calls. */
const learningRate = 0.1;

/** Slices of usage seen in the headers, freed one by one until Groq's reset time. */
const unexplainedUsageSlices = 6;

/**
 * Usage learned from the headers was spread over the past window, so it frees up gradually,
 * not all at once at the reset time Groq names (when the whole window is free). Charged in
 * slices that expire evenly until then: holding all of it to the reset would leave quota idle.
 */
function chargeFreeingGradually(window: UsageWindow, at: number, requests: number, tokens: number, resetMs: number): void {
  for (let slice = 1; slice <= unexplainedUsageSlices; slice += 1) {
    window.charge(at, requests / unexplainedUsageSlices, tokens / unexplainedUsageSlices, at + (resetMs * slice) / unexplainedUsageSlices);
  }
}

/** What other processes need to know about a model: cooldowns and permanent removal. */
export interface SharedModelFacts {
  readonly gone?: string;
  readonly cooldownUntil?: number;
  readonly cooldownReason?: string;
}

/** The newest rate-limit headers any process saw for a model, and when. */
export interface SharedHeaders {
  readonly at: number;
  readonly snapshot: RateLimitSnapshot;
}

export type Unavailability =
  | { readonly kind: "gone"; readonly reason: string }
  | { readonly kind: "cooling_down"; readonly until: number; readonly reason: string }
  | { readonly kind: "circuit_open"; readonly until: number }
  | { readonly kind: "quota"; readonly until: number; readonly limit: "RPM" | "TPM" | "RPD" | "TPD" }
  /** This request alone is larger than the model's whole per-minute token limit. */
  | { readonly kind: "too_large"; readonly limit: number };

/** What is left of a model's quota right now, for /status, `mami doctor` and /metrics. */
export interface QuotaLeft {
  readonly requestsPerMinuteRemaining: number;
  readonly tokensPerMinuteRemaining: number;
  readonly requestsPerDayRemaining: number;
  readonly tokensPerDayRemaining: number;
  /** When a cooldown after a 429 ends, if one is running. */
  readonly cooldownUntil: number | undefined;
  /** Milliseconds until it can take a request again; 0 when it can now. */
  readonly availableInMs: number;
  /** What the headers showed of how Groq counts a finished call against TPM. */
  readonly completionAccounting: CompletionAccounting;
  readonly note: string | undefined;
}

/** One charge in a model's minute, as a wait estimate sees it. */
export interface TimelineCharge {
  readonly expiresAt: number;
  readonly tokens: number;
  readonly requests: number;
  /**
   * A call still running where Groq counts only what was used: about when it will settle, and
   * what it will hold then. Its reservation holds only until then, not for the whole minute.
   */
  readonly settles?: { readonly at: number; readonly tokens: number };
}

/**
 * A call that runs from `startedAt`, where Groq counts only use (`settledShare` below 1): it
 * settles about a call's duration after it started (one that runs long already, in half that
 * from `now`) to what calls lately used of their reservation. Where Groq keeps reservations it
 * holds its whole reservation for the minute. The one rule for the calls running now and for
 * those a wait estimate places.
 */
export function runningCharge(charge: Omit<TimelineCharge, "settles">, startedAt: number, now: number, timeline: Pick<MinuteTimeline, "settledShare" | "callDurationMs">): TimelineCharge {
  const { settledShare, callDurationMs } = timeline;
  if (settledShare >= 1) return charge;
  return { ...charge, settles: { at: Math.max(startedAt + callDurationMs, now + callDurationMs / 2), tokens: charge.tokens * settledShare } };
}

/** A model's minute as a wait estimate sees it (selection/wait-estimate.ts). */
export interface MinuteTimeline {
  readonly tokensPerMinute: number;
  readonly requestsPerMinute: number;
  readonly charges: readonly TimelineCharge[];
  /** Until when it takes nothing at all (a cooldown, an open breaker, the day's limits spent). */
  readonly blockedUntil: number;
  /** What a call's reservation comes to once it settles: 1 while Groq keeps reservations. */
  readonly settledShare: number;
  /** About how long a call runs before it settles (and, where Groq counts use, gives the rest back). */
  readonly callDurationMs: number;
  /** A charge stays this much past the minute (see `markSent`). */
  readonly chargeLengthMs: number;
}

/** A reservation made when a request is sent; settled with the real usage afterwards. */
export interface Reservation {
  readonly minuteEntry: UsageEntry;
  readonly dayEntry: UsageEntry;
  /** Its charge in the quota processes share, once booked there (shared-reservations.ts). */
  sharedChargeId?: string;
}

/**
 * Told when a reservation booked in the shared quota changes here, so the shared quota follows
 * (shared-reservations.ts): the other processes then count this process's calls as it does.
 */
export interface ReservationSharing {
  sent(model: string, reservation: Reservation): void;
  settled(model: string, reservation: Reservation): void;
  released(model: string, reservation: Reservation): void;
}

/**
 * What Mami knows about one model's quota right now: its own recent sends (for RPM and TPD,
 * which Groq's headers do not report), what the last response's headers said (RPD and TPM,
 * organization-wide), cooldowns from 429s, a circuit breaker for failures, and whether the
 * model is gone for good.
 */
export class ModelState {
  private readonly minute = new UsageWindow(minuteMs);
  private readonly day = new UsageWindow(dayMs);
  private limits: ModelLimits;
  private goneReason: string | undefined;
  private cooldown: { until: number; reason: string } | undefined;
  private consecutiveFailures = 0;
  private breakerOpenUntil = 0;
  private lastHeaders: { readonly at: number; readonly snapshot: RateLimitSnapshot } | undefined;
  private accounting: CompletionAccounting = "unknown";
  /** Positive: readings closer to "only what was used"; negative: closer to "kept whole". */
  private accountingEvidence = 0;
  /** What settled calls used of their reservation, on average lately (for wait estimates under usage-only accounting). */
  private usedShare = 0.6;
  /** How long calls on this model ran from send to settle, on average lately. */
  private callDurationMs = initialCallDurationMs;
  /** This process's calls reserved and not settled yet: they hold their whole reservation until they settle. */
  private readonly running = new Set<Readonly<UsageEntry>>();
  /** Whether this model's own readings settled the accounting (an adopted belief gives way to them). */
  private learnedFromOwnCalls = false;
  /** Told when this model's readings settle the accounting, so the registry tells the others. */
  onAccountingLearned: ((accounting: CompletionAccounting) => void) | undefined;
  /** Whether responses carry the tokens remaining this minute (the only thing a probe can learn from). */
  private headersShowRemainingTokens = false;
  /** When the last probe of the accounting was sent (see `probesAccounting`). */
  private lastProbeAt = Number.NEGATIVE_INFINITY;
  /** The reservation that probes now, until it is sent or released. */
  private pendingProbe: Reservation | undefined;
  /** Set when processes share the quota: reservations booked there are followed there. */
  sharing: ReservationSharing | undefined;
  /** Other processes' charges in this minute, as the shared quota last showed them. */
  private foreignMinute: UsageEntry[] = [];
  /** The day other processes spent, as the shared quota's last refusal showed it. */
  private foreignDayHold: UsageEntry | undefined;
  /** Headers that wait for the next mirror of the other processes' charges (see `observeHeadersOnceMirrored`). */
  private headersAwaitingMirror: { readonly snapshot: RateLimitSnapshot; readonly sentBy: number; readonly carrier: Reservation | undefined }[] = [];

  constructor(
    readonly model: string,
    private readonly catalogLimits: ModelLimits,
  ) {
    this.limits = catalogLimits;
  }

  get tokensPerMinuteLimit(): number {
    return this.limits.tokensPerMinute;
  }

  /** The limits in force: the catalog's, corrected by what the headers revealed. */
  get currentLimits(): ModelLimits {
    return this.limits;
  }

  /** The headers this process saw last, to share with the others. */
  get latestHeaders(): SharedHeaders | undefined {
    return this.lastHeaders;
  }

  /**
   * Whether Groq's headers have told us this organization's TPM for the model. Until then the
   * catalog's free-tier figure is a guess: an organization on a paid tier has more.
   */
  get limitsConfirmed(): boolean {
    return this.lastHeaders?.snapshot.tokensPerMinuteLimit !== undefined;
  }

  get isGone(): boolean {
    return this.goneReason !== undefined;
  }

  markGone(reason: string): void {
    this.goneReason = reason;
  }

  /** Groq lists the model as live: whatever we assumed about its retirement was wrong. */
  markLive(): void {
    this.goneReason = undefined;
  }

  /** Why the model cannot take a request costing `tokens` now, or undefined when it can. */
  unavailability(now: number, tokens: number): Unavailability | undefined {
    if (this.goneReason !== undefined) return { kind: "gone", reason: this.goneReason };
    // Too large for the whole TPM: certain only once the headers confirmed the limit; before
    // that one call finds out (a 413 costs nothing and its headers teach the real limit).
    if (tokens > this.limits.tokensPerMinute && this.limitsConfirmed) return { kind: "too_large", limit: this.limits.tokensPerMinute };
    if (this.cooldown !== undefined && this.cooldown.until > now) {
      return { kind: "cooling_down", until: this.cooldown.until, reason: this.cooldown.reason };
    }
    if (this.breakerOpenUntil > now) return { kind: "circuit_open", until: this.breakerOpenUntil };
    const { requestsPerMinute, requestsPerDay, tokensPerMinute, tokensPerDay } = this.limits;
    const minute = this.minute.totals(now);
    if (minute.requests + 1 > requestsPerMinute) {
      return { kind: "quota", limit: "RPM", until: this.minute.timeWhenWithin(now, requestsPerMinute - 1, Infinity) };
    }
    if (minute.tokens + tokens > tokensPerMinute && (this.limitsConfirmed || minute.tokens > 0) && !this.probesAccounting(now, tokens)) {
      return { kind: "quota", limit: "TPM", until: this.minute.timeWhenWithin(now, Infinity, tokensPerMinute - tokens) };
    }
    const day = this.day.totals(now);
    if (day.requests + 1 > requestsPerDay) {
      return { kind: "quota", limit: "RPD", until: this.day.timeWhenWithin(now, requestsPerDay - 1, Infinity) };
    }
    if (day.tokens + tokens > tokensPerDay) {
      return { kind: "quota", limit: "TPD", until: this.day.timeWhenWithin(now, Infinity, tokensPerDay - tokens) };
    }
    return undefined;
  }

  /**
   * Until the headers have shown how Groq counts a finished call, the minute counts each one's
   * whole completion budget, so in a burst the model looks full while Groq may count far less;
   * and with no calls there are no headers to learn from. When only the unused budgets of
   * finished calls stand in the way, one call is let through now and then: its headers tell
   * which way Groq counts (or its 429 does, at the cost of one refused call).
   */
  private probesAccounting(now: number, tokens: number): boolean {
    // Only where headers can answer: a provider that sends no remaining tokens teaches nothing.
    if (this.accounting !== "unknown" || !this.headersShowRemainingTokens || this.pendingProbe !== undefined || now - this.lastProbeAt < probeIntervalMs) return false;
    const { used } = this.minute.hypotheses(now);
    return used + tokens <= this.limits.tokensPerMinute;
  }

  /**
   * The minute as a wait estimate needs it: its charges and limits, what blocks the model
   * outright, and how much of a reservation remains once settled. Undefined for a model that
   * can never take a call of `tokens` (gone, or larger than its whole minute).
   */
  timeline(now: number, tokens: number): MinuteTimeline | undefined {
    const blocked = this.unavailability(now, tokens);
    if (blocked?.kind === "gone" || blocked?.kind === "too_large") return undefined;
    const minuteBound = blocked?.kind === "quota" && (blocked.limit === "RPM" || blocked.limit === "TPM");
    // A call that failed without settling or releasing counts until it leaves the minute.
    for (const entry of this.running) if (entry.expiresAt <= now) this.running.delete(entry);
    // Counted at its reservation for the whole minute, a burst's calls running at once would tell
    // the messages behind them to wait a minute for room that comes back within seconds.
    const settling = { settledShare: this.accounting === "usage_only" ? this.usedShare : 1, callDurationMs: this.callDurationMs };
    return {
      tokensPerMinute: this.limits.tokensPerMinute,
      requestsPerMinute: this.limits.requestsPerMinute,
      charges: this.minute.charges(now).map((entry) => {
        const charge = { expiresAt: entry.expiresAt, tokens: entry.tokens, requests: entry.requests };
        return this.running.has(entry) ? runningCharge(charge, entry.at, now, settling) : charge;
      }),
      blockedUntil: blocked !== undefined && !minuteBound && "until" in blocked ? blocked.until : now,
      ...settling,
      chargeLengthMs: minuteMs + sendToAdmissionMarginMs,
    };
  }

  /**
   * What another call may take of this model now without delaying a call of `waitingTokens`
   * that waits for the minute to free: the room that call will leave beside it when it starts.
   * A charge made now still counts then (the minute frees only what was charged a minute
   * before), so it must fit beside the waiting call at that moment, and fit now. Nothing while
   * something other than the minute holds the model back (a cooldown, the day's limits).
   */
  roomBeside(now: number, waitingTokens: number): { readonly tokens: number; readonly requests: number } {
    const blocked = this.unavailability(now, waitingTokens);
    if (blocked?.kind !== "quota" || (blocked.limit !== "RPM" && blocked.limit !== "TPM")) return { tokens: 0, requests: 0 };
    const { requestsPerMinute, tokensPerMinute } = this.limits;
    const startsAt = this.minute.timeWhenWithin(now, requestsPerMinute - 1, tokensPerMinute - waitingTokens);
    let requestsThen = 0;
    let tokensThen = 0;
    for (const charge of this.minute.charges(now)) {
      if (charge.expiresAt <= startsAt) continue;
      requestsThen += charge.requests;
      tokensThen += charge.tokens;
    }
    const current = this.minute.totals(now);
    return {
      tokens: Math.max(0, Math.min(tokensPerMinute - waitingTokens - tokensThen, tokensPerMinute - current.tokens)),
      requests: Math.max(0, Math.min(requestsPerMinute - 1 - requestsThen, requestsPerMinute - current.requests)),
    };
  }

  /** Tokens the per-minute window can still take right now. */
  freeTokensPerMinute(now: number): number {
    return Math.max(0, this.limits.tokensPerMinute - this.minute.totals(now).tokens);
  }

  /** Charges a request before it is sent, so concurrent requests see each other at once. */
  reserve(now: number, tokens: number): Reservation {
    // Only a probe can reserve past the minute (unavailability let it through).
    const probe = this.minute.totals(now).tokens + tokens > this.limits.tokensPerMinute && this.probesAccounting(now, tokens);
    const reservation = { minuteEntry: this.minute.charge(now, 1, tokens, undefined, false), dayEntry: this.day.charge(now, 1, tokens, undefined, false) };
    this.running.add(reservation.minuteEntry);
    if (probe) this.pendingProbe = reservation;
    return reservation;
  }

  /**
   * The call is going out now: its charge counts from now (a model may be chosen some time
   * before its call is sent, while the message is screened), and a little longer than a minute.
   */
  markSent(reservation: Reservation, now: number): void {
    if (reservation === this.pendingProbe) {
      this.pendingProbe = undefined;
      this.lastProbeAt = now;
    }
    for (const [entry, length] of [[reservation.minuteEntry, minuteMs], [reservation.dayEntry, dayMs]] as const) {
      entry.at = now;
      entry.expiresAt = now + length + sendToAdmissionMarginMs;
      entry.sent = true;
    }
    if (reservation.sharedChargeId !== undefined) this.sharing?.sent(this.model, reservation);
  }

  /** The provider refused before charging (a 429 or 413): the reservation never counted. */
  release(reservation: Reservation): void {
    // A probe chosen but never sent (a wait estimate, a refused message) probes nothing.
    if (reservation === this.pendingProbe) this.pendingProbe = undefined;
    this.running.delete(reservation.minuteEntry);
    this.minute.remove(reservation.minuteEntry);
    this.day.remove(reservation.dayEntry);
    if (reservation.sharedChargeId !== undefined) this.sharing?.released(this.model, reservation);
  }

  /**
   * Corrects the reservation with what the provider reported once the call finished. The day
   * counts real use. The minute counts the prompt plus the whole completion budget while we
   * believe Groq keeps the reservation, or only what was used once the headers showed that it
   * gives the rest back. Cached prompt tokens come off both (Groq subtracts them afterwards).
   */
  settle(reservation: Reservation, usage: TokenUsage, completionBudget: number, now: number): void {
    const cached = usage.cachedPromptTokens ?? 0;
    const promptCharged = Math.max(0, usage.promptTokens - cached);
    // An underestimate was already recorded from the headers as unexplained usage; only an
    // overestimate is corrected here, so the difference is not counted twice.
    const keptTokens = Math.min(reservation.minuteEntry.tokens, promptCharged + completionBudget);
    const usedTokens = Math.min(keptTokens, promptCharged + usage.completionTokens);
    reservation.minuteEntry.settled = { keptTokens, usedTokens, at: now, runningTokens: reservation.minuteEntry.tokens };
    if (this.running.delete(reservation.minuteEntry) && reservation.minuteEntry.sent) this.callDurationMs += (now - reservation.minuteEntry.at - this.callDurationMs) * learningRate;
    if (keptTokens > 0) this.usedShare += (usedTokens / keptTokens - this.usedShare) * learningRate;
    reservation.minuteEntry.tokens = this.accounting === "usage_only" ? usedTokens : keptTokens;
    reservation.dayEntry.tokens = Math.max(0, usage.totalTokens - cached);
    if (reservation.sharedChargeId !== undefined) this.sharing?.settled(this.model, reservation);
  }

  /** Whether this reservation is the probe of the accounting (it may go past the minute's tokens). */
  isProbe(reservation: Reservation): boolean {
    return reservation === this.pendingProbe;
  }

  /**
   * Mirrors the other processes' charges in this minute, so that choosing a model here counts
   * them as the shared quota does, and headers are compared with the whole organization's use.
   * Each refresh replaces the last.
   */
  mirrorForeignMinute(usage: ForeignMinute, now: number): void {
    for (const entry of this.foreignMinute) this.minute.remove(entry);
    this.foreignMinute = usage.map((bucket) => {
      // Dated as early as its calls may have been sent (buckets round expiry up to the second),
      // so that headers written after them count them; headers written within that second may
      // or may not, which the accounting allows for (UsageEntry.sentWithinMs).
      const sentBy = bucket.expiresAt - minuteMs - sendToAdmissionMarginMs - foreignBucketMs;
      const entry = this.minute.charge(sentBy, bucket.requests, bucket.tokens, bucket.expiresAt);
      entry.sentWithinMs = foreignBucketMs;
      // While they ran, Groq held about what they keep under "kept" (their prompt and budget).
      if (bucket.settled !== undefined) entry.settled = { ...bucket.settled, runningTokens: bucket.settled.keptTokens };
      return entry;
    });
    for (const headers of this.headersAwaitingMirror.splice(0)) this.observeHeaders(now, headers.snapshot, headers.sentBy, headers.carrier);
  }

  /** The other processes' charges in the minute as last mirrored: all a process going alone knows of them. */
  foreignCharges(): readonly { readonly expiresAt: number; readonly requests: number; readonly tokens: number }[] {
    return this.foreignMinute.map(({ expiresAt, requests, tokens }) => ({ expiresAt, requests, tokens }));
  }

  /**
   * Headers when processes share the quota: Groq's count in them includes other processes'
   * calls sent since this process last looked at the shared windows. Compared now, those calls
   * would be booked as unexplained use and counted again once mirrored; so the headers wait for
   * the next mirror (a quarter of a second at most while requests come), which holds every call
   * booked before them.
   */
  observeHeadersOnceMirrored(snapshot: RateLimitSnapshot, sentBy: number, carrier?: Reservation): void {
    this.headersAwaitingMirror.push({ snapshot, sentBy, carrier });
  }

  /**
   * The shared quota refused for the day's requests or tokens: other processes spent them.
   * Holds the model until `until` with a charge of the whole limit, so that no request here asks
   * again before then, whatever of its own use frees earlier.
   */
  holdForeignDay(limit: "RPD" | "TPD", until: number, now: number): void {
    if (this.foreignDayHold !== undefined) this.day.remove(this.foreignDayHold);
    this.foreignDayHold = this.day.charge(now, limit === "RPD" ? this.limits.requestsPerDay : 0, limit === "TPD" ? this.limits.tokensPerDay : 0, until);
  }

  /** How the provider counts a finished call against TPM, as far as its headers have shown. */
  get completionAccounting(): CompletionAccounting {
    return this.accounting;
  }

  /**
   * Compares what the headers say is used this minute with our two ways of counting finished
   * calls, when they differ enough to tell: a few agreeing readings settle the question, and
   * later readings can overturn it (an organization's plan may change).
   */
  private learnAccounting(now: number, sentBy: number, usedByHeaders: number, hypotheses: AccountingHypotheses): void {
    if (this.minute.hasChargeExpiringBetween(sentBy, now, accountingEdgeMs)) return;
    // How far apart the two ways of counting can put the headers (another process's call sent
    // about then counts under both or neither).
    const difference = Math.max(hypotheses.kept - hypotheses.used, hypotheses.kept + hypotheses.maybeKept - (hypotheses.used + hypotheses.maybeUsed));
    if (difference < Math.max(accountingMinimumDifference, this.limits.tokensPerMinute * 0.02)) return;
    // Other processes' calls sent about when the headers were written may be in them or not:
    // each way of counting predicts a range, and a reading is measured against the range.
    const distanceToUsed = distanceToRange(usedByHeaders, hypotheses.used, hypotheses.used + hypotheses.maybeUsed);
    const distanceToKept = distanceToRange(usedByHeaders, hypotheses.kept, hypotheses.kept + hypotheses.maybeKept);
    // Running calls may be counted a little high on both sides: a reading tells only when one
    // way of counting is nearer by more than that.
    if (Math.abs(distanceToUsed - distanceToKept) <= 2 * hypotheses.uncertainty) return;
    const closerToUsed = distanceToUsed < distanceToKept;
    // A reading that sits right on one way of counting, with a wide gap between the two, settles
    // the question by itself; an ambiguous one is one vote.
    const decisive = difference >= this.limits.tokensPerMinute * decisiveDifferenceShare && Math.min(distanceToUsed, distanceToKept) <= difference / 4;
    const vote = closerToUsed ? 1 : -1;
    // A decisive reading puts the evidence at least at the threshold on its side, whatever
    // came before: added to a count on the other side, it would only cancel it and leave a
    // belief it has just shown wrong in place.
    this.accountingEvidence = decisive
      ? vote * Math.max(accountingEvidenceNeeded, vote * this.accountingEvidence)
      : Math.max(-accountingEvidenceCap, Math.min(accountingEvidenceCap, this.accountingEvidence + vote));
    const learned: CompletionAccounting =
      this.accountingEvidence >= accountingEvidenceNeeded ? "usage_only" : this.accountingEvidence <= -accountingEvidenceNeeded ? "reservation_kept" : this.accounting;
    if (Math.abs(this.accountingEvidence) >= accountingEvidenceNeeded) this.learnedFromOwnCalls = true;
    if (learned !== this.accounting) {
      this.useAccounting(learned);
      this.onAccountingLearned?.(learned);
    }
  }

  /**
   * Groq's accounting is the organization's, not one model's: what another model's headers
   * showed holds for this one until its own readings say otherwise.
   */
  adoptOrganizationAccounting(accounting: CompletionAccounting): void {
    if (this.learnedFromOwnCalls || accounting === this.accounting) return;
    this.useAccounting(accounting);
  }

  private useAccounting(accounting: CompletionAccounting): void {
    this.accounting = accounting;
    this.minute.recount(accounting === "usage_only" ? "used" : "kept");
  }

  /**
   * Learns from a response's headers. Usage the headers show beyond our own count (other
   * processes of the same organization, or Groq counting more than we estimated) is recorded
   * as a charge that expires when Groq says that limit resets.
   *
   * `observedAt` is when the call that carried them was sent: Groq writes them as it admits
   * that call, so they count the calls sent before it and none sent after. Compared with the
   * time they arrived instead (a streamed answer's headers come after the model's first
   * latency, hundreds of milliseconds in a burst), every call sent meanwhile would count in our
   * picture and not in theirs, which makes finished calls look as if Groq had given back their
   * unused budget. `carrier` is that call's reservation when it is ours: it is surely in them,
   * where our other calls sent about the same time may have reached Groq after it, or before.
   */
  observeHeaders(now: number, snapshot: RateLimitSnapshot, observedAt = now, carrier?: Reservation): void {
    // Another process may share a snapshot older than one this process already applied.
    if (this.lastHeaders !== undefined && this.lastHeaders.at > observedAt) return;
    this.lastHeaders = { at: observedAt, snapshot };
    const { tokensPerMinuteLimit, tokensPerMinuteRemaining, tokensPerMinuteResetMs } = snapshot;
    const { requestsPerDayLimit, requestsPerDayRemaining, requestsPerDayResetMs } = snapshot;
    if (tokensPerMinuteLimit !== undefined || requestsPerDayLimit !== undefined) {
      // The headers report TPM and RPD only. An organization on a paid tier has every limit
      // raised together, so RPM and TPD (counted locally) scale by the same factor as TPM
      // rather than hold a paid organization to free-tier figures.
      const tierFactor = Math.max(1, (tokensPerMinuteLimit ?? this.limits.tokensPerMinute) / this.catalogLimits.tokensPerMinute);
      this.limits = {
        requestsPerMinute: Math.floor(this.catalogLimits.requestsPerMinute * tierFactor),
        tokensPerDay: Math.floor(this.catalogLimits.tokensPerDay * tierFactor),
        tokensPerMinute: tokensPerMinuteLimit ?? this.limits.tokensPerMinute,
        requestsPerDay: requestsPerDayLimit ?? this.limits.requestsPerDay,
      };
    }
    // Compared with what this process had charged by the time the headers were written: what it
    // sent since then is not in them.
    if (tokensPerMinuteRemaining !== undefined) {
      this.headersShowRemainingTokens = true;
      const usedByHeaders = this.limits.tokensPerMinute - tokensPerMinuteRemaining;
      this.learnAccounting(now, observedAt, usedByHeaders, this.minute.hypotheses(now, { sentBy: observedAt, carrier: carrier?.minuteEntry }));
      const unexplained = usedByHeaders - this.minute.totals(now, observedAt).tokens;
      if (unexplained > 0) {
        chargeFreeingGradually(this.minute, observedAt, 0, unexplained, Math.min(tokensPerMinuteResetMs ?? minuteMs, minuteMs));
      }
    }
    if (requestsPerDayRemaining !== undefined) {
      const usedByHeaders = this.limits.requestsPerDay - requestsPerDayRemaining;
      const unexplained = usedByHeaders - this.day.totals(now, observedAt).requests;
      if (unexplained > 0) {
        chargeFreeingGradually(this.day, observedAt, unexplained, 0, Math.min(requestsPerDayResetMs ?? dayMs, dayMs));
      }
    }
  }

  observeSuccess(): void {
    this.consecutiveFailures = 0;
  }

  /** Learns from a failed call: cools the model down, opens its breaker, or drops it. */
  observeFailure(now: number, error: ModelCallError): void {
    if (error.rateLimits !== undefined) this.observeHeaders(now, error.rateLimits);
    switch (failurePolicy[error.kind].modelEffect) {
      case "mark_gone":
        this.markGone(error.message);
        return;
      case "cool_down": {
        const fallbackWait = error.window === "day" ? 60 * 60_000 : 10_000;
        const wait = Math.max(error.retryAfterMs ?? fallbackWait, minimumCooldownMs);
        const until = now + wait;
        if (this.cooldown === undefined || this.cooldown.until < until) {
          this.cooldown = { until, reason: error.window === "day" ? "daily limit reached" : "per-minute limit reached" };
        }
        return;
      }
      case "count_toward_breaker": {
        this.consecutiveFailures += 1;
        if (this.consecutiveFailures >= breakerThreshold) {
          const exponent = this.consecutiveFailures - breakerThreshold;
          this.breakerOpenUntil = now + Math.min(breakerBaseMs * 2 ** exponent, breakerMaxMs);
        }
        return;
      }
      case "none":
        return;
    }
  }

  /** A snapshot for `/status` and `mami doctor`. */
  describe(now: number): QuotaLeft {
    const day = this.day.totals(now);
    const minute = this.minute.totals(now);
    const blocked = this.unavailability(now, 1);
    const until = blocked !== undefined && "until" in blocked ? blocked.until : now;
    let note: string | undefined;
    if (blocked?.kind === "cooling_down") note = blocked.reason;
    else if (blocked?.kind === "circuit_open") note = "failing; paused";
    else if (blocked?.kind === "quota") note = `${blocked.limit} spent`;
    return {
      requestsPerMinuteRemaining: Math.max(0, this.limits.requestsPerMinute - minute.requests),
      tokensPerMinuteRemaining: Math.max(0, this.limits.tokensPerMinute - minute.tokens),
      requestsPerDayRemaining: Math.max(0, this.limits.requestsPerDay - day.requests),
      tokensPerDayRemaining: Math.max(0, this.limits.tokensPerDay - day.tokens),
      cooldownUntil: this.cooldown !== undefined && this.cooldown.until > now ? this.cooldown.until : undefined,
      availableInMs: Math.max(0, until - now),
      completionAccounting: this.accounting,
      note,
    };
  }

  exportShared(): SharedModelFacts {
    return {
      ...(this.goneReason === undefined ? {} : { gone: this.goneReason }),
      ...(this.cooldown === undefined ? {} : { cooldownUntil: this.cooldown.until, cooldownReason: this.cooldown.reason }),
    };
  }

  importShared(shared: SharedModelFacts): void {
    if (shared.gone !== undefined) this.goneReason = shared.gone;
    if (shared.cooldownUntil !== undefined && (this.cooldown === undefined || this.cooldown.until < shared.cooldownUntil)) {
      this.cooldown = { until: shared.cooldownUntil, reason: shared.cooldownReason ?? "cooling down" };
    }
  }
}

/** How far a value lies outside the range from `low` to `high` (0 inside it). */
function distanceToRange(value: number, low: number, high: number): number {
  return Math.max(low - value, 0, value - high);
}
