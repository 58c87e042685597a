/**
 * The port to per-model quota shared by every process of one Groq organization (Redis, in
 * src/store/redis-shared-quota.ts; in memory, core/models/in-process-quota.ts). Groq counts a
 * model's requests and tokens per minute and per day for the whole organization, so processes
 * that each count only their own calls would together overrun it. Through this port each
 * reservation is checked against the organization's windows and booked in one atomic step,
 * and each process mirrors the others' charges to choose models as one process would. See
 * docs/architecture.md, "Scaling out".
 */
import type { RateLimitSnapshot } from "./model-client.js";

/** A model's limits as the reserving process knows them (the catalog's, corrected by Groq's headers). */
export interface QuotaLimits {
  readonly requestsPerMinute: number;
  readonly tokensPerMinute: number;
  readonly requestsPerDay: number;
  readonly tokensPerDay: number;
}

export type QuotaLimitName = "RPM" | "TPM" | "RPD" | "TPD";

/**
 * One call's charge against a model's minute and day windows. Each charge is one request; its
 * tokens may change when it settles. Expiry times are absolute, on the reserving process's clock.
 */
export interface SharedCharge {
  readonly model: string;
  /** Unique across processes: the owner's process id, a colon, and a number of its own. */
  readonly id: string;
  readonly minuteTokens: number;
  readonly dayTokens: number;
  readonly minuteExpiresAt: number;
  readonly dayExpiresAt: number;
}

export interface RestoredCharge extends SharedCharge {
  readonly settled?: SettledTokens;
}

export interface ReserveRequest extends SharedCharge {
  readonly now: number;
  readonly limits: QuotaLimits;
  /**
   * The reserving process wants to probe how Groq counts finished calls (model-state.ts): past
   * the minute's tokens, but only one probe per model across processes within `intervalMs`.
   */
  readonly probeIntervalMs?: number;
}

/** How finished calls' tokens come out under each accounting Groq may use (model-state.ts). */
export interface SettledTokens {
  readonly keptTokens: number;
  readonly usedTokens: number;
  /**
   * When it settled (ms since the epoch; for other processes' charges summed in one bucket, the
   * last of them, rounded up to the second). Headers written before then counted it as running,
   * at its whole reservation, and are compared with it so (usage-window.ts).
   */
  readonly at: number;
}

/** Other processes' charges that leave a window at one moment, summed. */
export interface ForeignUsage {
  readonly expiresAt: number;
  readonly requests: number;
  /** What the window counts for them now. */
  readonly tokens: number;
  /** Present when every charge in it has settled: their cost under each accounting. */
  readonly settled?: SettledTokens;
}

/**
 * Other processes' charges in a model's minute, oldest first, summed per second of expiry
 * (rounded up, so a mirror never frees quota before the shared windows do). Only the minute is
 * mirrored: a day spent by others shows as a refusal with the time it frees (see `reserve`).
 */
export type ForeignMinute = readonly ForeignUsage[];

export type ReserveOutcome =
  | { readonly kind: "admitted"; readonly foreignMinute: ForeignMinute }
  | {
      readonly kind: "refused";
      readonly limit: QuotaLimitName;
      /** When enough of that window frees for this charge to fit. */
      readonly fitsAt: number;
      readonly foreignMinute: ForeignMinute;
    };

/** What processes tell each other about a model besides its charges. */
export interface SharedModelFacts {
  /** Groq retired it: why. */
  readonly gone?: string;
  readonly cooldown?: { readonly until: number; readonly reason: string };
  /** The newest rate-limit headers any process saw for it, and when. */
  readonly headers?: { readonly at: number; readonly snapshot: RateLimitSnapshot };
}

export interface SharedModelSnapshot extends SharedModelFacts {
  readonly foreignMinute: ForeignMinute;
}

/** One whole answer another process got: what completion budgets learn from (generation/completion-budgets.ts). */
export interface AnswerLength {
  readonly role: string;
  readonly model: string;
  readonly completionTokens: number;
}

/** Everything a process reads from the others in one look. */
export interface SharedSnapshot {
  readonly models: ReadonlyMap<string, SharedModelSnapshot>;
  /** Answers other processes finished since this process's last look (at the first look, the recent ones). */
  readonly answers: readonly AnswerLength[];
  /** How Groq counts finished calls, as the first process to learn it found. */
  readonly accounting?: "usage_only" | "reservation_kept";
  /** Processes that showed a sign of life lately, this one included: the share each takes when the quota cannot be shared. */
  readonly processes: number;
}

export interface SharedQuota {
  /** This process's id: the prefix of its charges' ids. */
  readonly processId: string;
  /**
   * Books the charge if every window stays within `limits` with it (RPM, TPM, RPD, TPD, in
   * that order); otherwise books nothing and says which limit refused and when it would fit.
   * Either way, returns the others' charges of that model as they stand.
   */
  reserve(request: ReserveRequest): Promise<ReserveOutcome>;
  /** The call went out: its charge now expires at these times (charges count from the send). */
  markSent(model: string, id: string, minuteExpiresAt: number, dayExpiresAt: number): Promise<void>;
  /** The call finished: the windows count these tokens for it from now on. */
  settle(model: string, id: string, minuteTokens: number, dayTokens: number, settled: SettledTokens): Promise<void>;
  /** The provider refused before charging: the charge never counted. */
  release(model: string, id: string): Promise<void>;
  /**
   * Books this process's charges again after the shared quota could not be reached (it may have
   * lost them, or never seen those made meanwhile), without checking limits: they were sent
   * already. A charge it still holds takes these amounts and expiry times.
   */
  restore(charges: readonly RestoredCharge[], now: number): Promise<void>;
  /** Reads the others' charges and facts of these models. */
  read(models: readonly string[], now: number): Promise<SharedSnapshot>;
  publishCooldown(model: string, until: number, reason: string, now: number): Promise<void>;
  publishGone(model: string, reason: string): Promise<void>;
  /** Kept only when newer than what another process published. */
  publishHeaders(model: string, at: number, snapshot: RateLimitSnapshot): Promise<void>;
  publishAccounting(accounting: "usage_only" | "reservation_kept"): Promise<void>;
  /** Tells the others how long a whole answer was, so their budgets learn from it too. */
  publishAnswer(answer: AnswerLength): Promise<void>;
}
