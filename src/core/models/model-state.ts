import type { ModelCallError } from "../errors.js";
import type { RateLimitSnapshot } from "../ports/model-client.js";
import type { ModelLimits } from "./catalog.js";
import { UsageWindow, type UsageEntry } from "./usage-window.js";

const minuteMs = 60_000;
const dayMs = 24 * 60 * 60_000;
/** Breaker: after this many transient failures in a row, stop sending for a while. */
const breakerThreshold = 2;
const breakerBaseMs = 15_000;
const breakerMaxMs = 5 * 60_000;
/** A 429 with no usable wait still cools the model down briefly. */
const minimumCooldownMs = 1_000;

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

/** A reservation made when a request is sent; settled with the real usage afterwards. */
export interface Reservation {
  readonly minuteEntry: UsageEntry;
  readonly dayEntry: UsageEntry;
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

  constructor(
    readonly model: string,
    private readonly catalogLimits: ModelLimits,
  ) {
    this.limits = catalogLimits;
  }

  get tokensPerMinuteLimit(): number {
    return this.limits.tokensPerMinute;
  }

  /**
   * Whether Groq's headers have told us this organization's TPM for the model. Until then the
   * catalog's free-tier figure is a guess: an organization on a paid tier has more.
   */
  /** The headers this process saw last, to share with the others. */
  get latestHeaders(): SharedHeaders | undefined {
    return this.lastHeaders;
  }

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
    if (minute.tokens + tokens > tokensPerMinute && (this.limitsConfirmed || minute.tokens > 0)) {
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

  /** Tokens the per-minute window can still take right now. */
  freeTokensPerMinute(now: number): number {
    return Math.max(0, this.limits.tokensPerMinute - this.minute.totals(now).tokens);
  }

  /** Charges a request before it is sent, so concurrent requests see each other at once. */
  reserve(now: number, tokens: number): Reservation {
    return { minuteEntry: this.minute.charge(now, 1, tokens), dayEntry: this.day.charge(now, 1, tokens) };
  }

  /** The provider refused before charging (a 429 or 413): the reservation never counted. */
  release(reservation: Reservation): void {
    this.minute.remove(reservation.minuteEntry);
    this.day.remove(reservation.dayEntry);
  }

  /**
   * Corrects the reservation with what the provider reported: the per-minute charge is the real
   * prompt plus the completion budget (Groq charges the budget up front); the day counts real use.
   */
  settle(reservation: Reservation, promptTokens: number, completionBudget: number, totalTokens: number): void {
    // An underestimate was already recorded from the headers as unexplained usage; only an
    // overestimate is corrected here, so the difference is not counted twice.
    reservation.minuteEntry.tokens = Math.min(reservation.minuteEntry.tokens, promptTokens + completionBudget);
    reservation.dayEntry.tokens = totalTokens;
  }

  /**
   * Learns from a response's headers. Usage the headers show beyond our own count (other
   * processes of the same organization, or Groq counting more than we estimated) is recorded
   * as a charge that expires when Groq says that limit resets.
   */
  observeHeaders(now: number, snapshot: RateLimitSnapshot, observedAt = now): void {
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
      const usedByHeaders = this.limits.tokensPerMinute - tokensPerMinuteRemaining;
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
    switch (error.kind) {
      case "model_gone":
        this.markGone(error.message);
        return;
      case "rate_limited": {
        const fallbackWait = error.window === "day" ? 60 * 60_000 : 10_000;
        const wait = Math.max(error.retryAfterMs ?? fallbackWait, minimumCooldownMs);
        const until = now + wait;
        if (this.cooldown === undefined || this.cooldown.until < until) {
          this.cooldown = { until, reason: error.window === "day" ? "daily limit reached" : "per-minute limit reached" };
        }
        return;
      }
      case "server_error":
      case "timeout":
      case "network": {
        this.consecutiveFailures += 1;
        if (this.consecutiveFailures >= breakerThreshold) {
          const exponent = this.consecutiveFailures - breakerThreshold;
          this.breakerOpenUntil = now + Math.min(breakerBaseMs * 2 ** exponent, breakerMaxMs);
        }
        return;
      }
      default:
        return;
    }
  }

  /** A snapshot for `/status` and `mami doctor`. */
  describe(now: number): {
    readonly requestsPerDayRemaining: number;
    readonly tokensPerMinuteRemaining: number;
    readonly availableInMs: number;
    readonly note: string | undefined;
  } {
    const day = this.day.totals(now);
    const minute = this.minute.totals(now);
    const blocked = this.unavailability(now, 1);
    const until = blocked !== undefined && "until" in blocked ? blocked.until : now;
    let note: string | undefined;
    if (blocked?.kind === "cooling_down") note = blocked.reason;
    else if (blocked?.kind === "circuit_open") note = "failing; paused";
    else if (blocked?.kind === "quota") note = `${blocked.limit} spent`;
    return {
      requestsPerDayRemaining: Math.max(0, this.limits.requestsPerDay - day.requests),
      tokensPerMinuteRemaining: Math.max(0, this.limits.tokensPerMinute - minute.tokens),
      availableInMs: Math.max(0, until - now),
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
