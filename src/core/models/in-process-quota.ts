import type { RateLimitSnapshot } from "../ports/model-client.js";
import type {
  AnswerLength,
  ForeignMinute,
  ForeignUsage,
  QuotaLimitName,
  ReserveOutcome,
  ReserveRequest,
  RestoredCharge,
  SettledTokens,
  SharedModelFacts,
  SharedQuota,
  SharedSnapshot,
} from "../ports/shared-quota.js";
import { foreignBucketMs, fitsAfter, headersTimeToLiveMs, recentAnswersKept } from "./shared-quota-rules.js";

interface StoredCharge {
  minuteTokens: number;
  dayTokens: number;
  minuteExpiresAt: number;
  dayExpiresAt: number;
  settled?: SettledTokens;
}

interface StoredFacts {
  gone?: string;
  cooldown?: { until: number; reason: string };
  headers?: { at: number; snapshot: RateLimitSnapshot };
  probeUntil?: number;
}

/**
 * The organization's windows in memory. Several `InProcessQuota`s may share one book, each as a
 * process of its own: the tests hold the Redis scripts to the same contract this way.
 */
export class InProcessQuotaBook {
  readonly charges = new Map<string, Map<string, StoredCharge>>();
  readonly facts = new Map<string, StoredFacts>();
  readonly members = new Set<string>();
  accounting: "usage_only" | "reservation_kept" | undefined;
  /** Recent answers, oldest first, each with the process that got it. */
  readonly answers: (AnswerLength & { readonly owner: string; readonly sequence: number })[] = [];
  answerSequence = 0;

  chargesOf(model: string, now: number): Map<string, StoredCharge> {
    let charges = this.charges.get(model);
    if (charges === undefined) {
      charges = new Map();
      this.charges.set(model, charges);
    }
    for (const [id, charge] of charges) if (charge.dayExpiresAt <= now) charges.delete(id);
    return charges;
  }

  factsOf(model: string): StoredFacts {
    let facts = this.facts.get(model);
    if (facts === undefined) {
      facts = {};
      this.facts.set(model, facts);
    }
    return facts;
  }
}

/**
 * The shared-quota port in this process's memory, with the same rules as the Redis scripts
 * (src/store/redis-quota-scripts.ts). Mami uses it while Redis cannot be reached: each process
 * then books its own charges here against its share of every limit, and books them on Redis
 * again when it returns (shared-reservations.ts).
 */
export class InProcessQuota implements SharedQuota {
  /** The last answer this process has read. */
  private answersRead = 0;

  constructor(
    readonly processId: string,
    private readonly book = new InProcessQuotaBook(),
  ) {
    book.members.add(processId);
  }

  async reserve(request: ReserveRequest): Promise<ReserveOutcome> {
    return this.reserveNow(request);
  }

  /** `reserve`, at once: for the fallback, whose answer needs no round trip. */
  reserveNow(request: ReserveRequest): ReserveOutcome {
    const { model, now, limits } = request;
    const charges = this.book.chargesOf(model, now);
    const minute = [...charges.values()].filter((charge) => charge.minuteExpiresAt > now).sort((first, second) => first.minuteExpiresAt - second.minuteExpiresAt);
    const day = [...charges.values()].sort((first, second) => first.dayExpiresAt - second.dayExpiresAt);
    const minuteWindow = minute.map((charge) => ({ expiresAt: charge.minuteExpiresAt, tokens: charge.minuteTokens }));
    const dayWindow = day.map((charge) => ({ expiresAt: charge.dayExpiresAt, tokens: charge.dayTokens }));
    const refusal = (limit: QuotaLimitName, fitsAt: number): ReserveOutcome => ({ kind: "refused", limit, fitsAt, foreignMinute: this.foreignMinute(model, now) });

    if (minute.length + 1 > limits.requestsPerMinute) return refusal("RPM", fitsAfter(minuteWindow, now, limits.requestsPerMinute - 1, Infinity));
    const minuteTokens = sum(minute.map((charge) => charge.minuteTokens));
    if (minuteTokens + request.minuteTokens > limits.tokensPerMinute && !this.takeProbe(model, now, request.probeIntervalMs)) {
      return refusal("TPM", fitsAfter(minuteWindow, now, Infinity, limits.tokensPerMinute - request.minuteTokens));
    }
    if (day.length + 1 > limits.requestsPerDay) return refusal("RPD", fitsAfter(dayWindow, now, limits.requestsPerDay - 1, Infinity));
    if (sum(day.map((charge) => charge.dayTokens)) + request.dayTokens > limits.tokensPerDay) {
      return refusal("TPD", fitsAfter(dayWindow, now, Infinity, limits.tokensPerDay - request.dayTokens));
    }
    charges.set(request.id, {
      minuteTokens: request.minuteTokens,
      dayTokens: request.dayTokens,
      minuteExpiresAt: request.minuteExpiresAt,
      dayExpiresAt: request.dayExpiresAt,
    });
    return { kind: "admitted", foreignMinute: this.foreignMinute(model, now) };
  }

  async markSent(model: string, id: string, minuteExpiresAt: number, dayExpiresAt: number): Promise<void> {
    const charge = this.book.charges.get(model)?.get(id);
    if (charge === undefined) return;
    charge.minuteExpiresAt = minuteExpiresAt;
    charge.dayExpiresAt = dayExpiresAt;
  }

  async settle(model: string, id: string, minuteTokens: number, dayTokens: number, settled: SettledTokens): Promise<void> {
    const charge = this.book.charges.get(model)?.get(id);
    if (charge === undefined) return;
    charge.minuteTokens = minuteTokens;
    charge.dayTokens = dayTokens;
    charge.settled = settled;
  }

  async release(model: string, id: string): Promise<void> {
    this.book.charges.get(model)?.delete(id);
  }

  async restore(charges: readonly RestoredCharge[], now: number): Promise<void> {
    for (const charge of charges) {
      if (charge.dayExpiresAt <= now) continue;
      this.book.chargesOf(charge.model, now).set(charge.id, {
        minuteTokens: charge.minuteTokens,
        dayTokens: charge.dayTokens,
        minuteExpiresAt: charge.minuteExpiresAt,
        dayExpiresAt: charge.dayExpiresAt,
        ...(charge.settled === undefined ? {} : { settled: charge.settled }),
      });
    }
  }

  /** This process's charges still in some window: what it books again on the shared quota once it is back. */
  ownCharges(now: number): RestoredCharge[] {
    const own: RestoredCharge[] = [];
    for (const model of this.book.charges.keys()) {
      for (const [id, charge] of this.book.chargesOf(model, now)) {
        if (!id.startsWith(`${this.processId}:`)) continue;
        own.push({ model, id, ...charge });
      }
    }
    return own;
  }

  async read(models: readonly string[], now: number): Promise<SharedSnapshot> {
    const snapshots = new Map<string, SharedModelFacts & { foreignMinute: ForeignMinute }>();
    for (const model of models) {
      const facts = this.book.factsOf(model);
      snapshots.set(model, {
        foreignMinute: this.foreignMinute(model, now),
        ...(facts.gone === undefined ? {} : { gone: facts.gone }),
        ...(facts.cooldown === undefined || facts.cooldown.until <= now ? {} : { cooldown: facts.cooldown }),
        ...(facts.headers === undefined || now - facts.headers.at >= headersTimeToLiveMs ? {} : { headers: facts.headers }),
      });
    }
    const answers = this.book.answers.filter((answer) => answer.sequence > this.answersRead && answer.owner !== this.processId);
    this.answersRead = this.book.answerSequence;
    return {
      models: snapshots,
      answers: answers.map(({ role, model, completionTokens }) => ({ role, model, completionTokens })),
      processes: this.book.members.size,
      ...(this.book.accounting === undefined ? {} : { accounting: this.book.accounting }),
    };
  }

  async publishAnswer(answer: AnswerLength): Promise<void> {
    this.book.answerSequence += 1;
    this.book.answers.push({ ...answer, owner: this.processId, sequence: this.book.answerSequence });
    if (this.book.answers.length > recentAnswersKept) this.book.answers.shift();
  }

  async publishCooldown(model: string, until: number, reason: string, _now?: number): Promise<void> {
    const facts = this.book.factsOf(model);
    if (facts.cooldown === undefined || facts.cooldown.until < until) facts.cooldown = { until, reason };
  }

  async publishGone(model: string, reason: string): Promise<void> {
    this.book.factsOf(model).gone = reason;
  }

  async publishHeaders(model: string, at: number, snapshot: RateLimitSnapshot): Promise<void> {
    const facts = this.book.factsOf(model);
    if (facts.headers === undefined || facts.headers.at < at) facts.headers = { at, snapshot };
  }

  async publishAccounting(accounting: "usage_only" | "reservation_kept"): Promise<void> {
    this.book.accounting = accounting;
  }

  /** One probe of the accounting per model across processes within the interval. */
  private takeProbe(model: string, now: number, intervalMs: number | undefined): boolean {
    if (intervalMs === undefined) return false;
    const facts = this.book.factsOf(model);
    if (facts.probeUntil !== undefined && facts.probeUntil > now) return false;
    facts.probeUntil = now + intervalMs;
    return true;
  }

  private foreignMinute(model: string, now: number): ForeignUsage[] {
    const buckets = new Map<string, { expiresAt: number; requests: number; tokens: number; kept: number; used: number; settled: boolean; settledAt: number }>();
    for (const [id, charge] of this.book.chargesOf(model, now)) {
      if (charge.minuteExpiresAt <= now || id.startsWith(`${this.processId}:`)) continue;
      const expiresAt = Math.ceil(charge.minuteExpiresAt / foreignBucketMs) * foreignBucketMs;
      const settled = charge.settled !== undefined;
      // Settled charges apart by the second they settled in: headers written between two such
      // seconds counted the later ones as running (SettledTokens.at).
      const settledAt = charge.settled === undefined ? 0 : Math.ceil(charge.settled.at / foreignBucketMs) * foreignBucketMs;
      const key = `${expiresAt}:${settled}:${settledAt}`;
      const bucket = buckets.get(key) ?? { expiresAt, requests: 0, tokens: 0, kept: 0, used: 0, settled, settledAt };
      bucket.requests += 1;
      bucket.tokens += charge.minuteTokens;
      bucket.kept += charge.settled?.keptTokens ?? 0;
      bucket.used += charge.settled?.usedTokens ?? 0;
      buckets.set(key, bucket);
    }
    return [...buckets.values()]
      .sort((first, second) => first.expiresAt - second.expiresAt || Number(first.settled) - Number(second.settled) || first.settledAt - second.settledAt)
      .map((bucket) => ({
        expiresAt: bucket.expiresAt,
        requests: bucket.requests,
        tokens: bucket.tokens,
        ...(bucket.settled ? { settled: { keptTokens: bucket.kept, usedTokens: bucket.used, at: bucket.settledAt } } : {}),
      }));
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
