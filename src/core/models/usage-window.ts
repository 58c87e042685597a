/** One charge against a limit: a request and the tokens counted for it, until it expires. */
export interface UsageEntry {
  /** When it was charged: when the call was sent, for a reservation (see ModelState.markSent). */
  at: number;
  /**
   * False for a reservation whose call has not gone out yet (its model chosen, its message still
   * being screened): Groq has not seen it, so headers are compared without it.
   */
  sent: boolean;
  expiresAt: number;
  readonly requests: number;
  /** What the window counts now. */
  tokens: number;
  /**
   * Once the call has finished: what it costs if the provider keeps the whole reservation
   * (prompt plus completion budget) and if it counts only what was used (which of the two
   * `tokens` holds is learned from the headers); when it settled (another process's, to the
   * second, rounded up) and what it counted while it ran (this process's reservation; for
   * another's, what it keeps under "kept"). Headers written before `at` counted it as running,
   * at its up-front charge, and are compared with it so (`totals`, `hypotheses` with `sentBy`).
   */
  settled?: { readonly keptTokens: number; readonly usedTokens: number; readonly at: number; readonly runningTokens: number };
  /**
   * For another process's call, known only to the second: it was sent at `at` or up to this
   * long after. Headers written within that span may or may not count it.
   */
  sentWithinMs?: number;
}

/** What the window would hold under each accounting of finished calls. */
export interface AccountingHypotheses {
  readonly kept: number;
  readonly used: number;
  /**
   * How far both may be off: calls still running count at their reservation, which our prompt
   * estimate (and its safety margin) puts a little above what Groq charged.
   */
  readonly uncertainty: number;
  /**
   * Calls the headers may or may not count (another process's sent about when they were
   * written, or our own sent about with the carrier), under each hypothesis: the headers show
   * `kept` to `kept + maybeKept` if Groq keeps reservations, `used` to `used + maybeUsed` if it
   * counts use.
   */
  readonly maybeKept: number;
  readonly maybeUsed: number;
}

/** A running call's reservation may exceed Groq's charge by this share (the estimate's margin and error). */
const runningCallUncertainty = 0.15;
/**
 * Our own calls sent this close to the call whose headers are read may reach Groq in either
 * order: each goes out on its own connection, and a busy event loop or network can hold one
 * back by tens of milliseconds. Counted as surely in (or surely out), one call's whole
 * reservation would sit on one side of the reading, the size of the gap between the two ways of
 * counting, and could settle the question the wrong way for every model at once.
 */
const sendOrderSlackMs = 50;

/**
 * What an entry counted when headers written at `sentBy` were: a call that settled only after
 * that was still running then, counted at its reservation. Compared at its settled count
 * instead, each call that finished while the headers were on their way (a burst finishes several
 * a second) would make the headers look as if Groq counted more than we did.
 */
function runningTokensAt(entry: UsageEntry, sentBy: number | undefined): number | undefined {
  return sentBy !== undefined && entry.settled !== undefined && entry.settled.at > sentBy ? entry.settled.runningTokens : undefined;
}

/** Headers read against the window: when the call that carried them was sent, and its charge when it is ours. */
export interface HeadersReading {
  readonly sentBy: number;
  readonly carrier: UsageEntry | undefined;
}

/**
 * Whether headers written for `reading` may or may not count one of our own calls: one sent
 * within `sendOrderSlackMs` of the carrier, either side, that had not finished by then (a call
 * that finished had been admitted long before). The carrier itself is always in its headers.
 */
function sentInEitherOrder(entry: UsageEntry, reading: HeadersReading): boolean {
  if (entry === reading.carrier || entry.sentWithinMs !== undefined || !entry.sent) return false;
  const finishedBefore = entry.settled !== undefined && entry.settled.at <= reading.sentBy;
  return !finishedBefore && Math.abs(entry.at - reading.sentBy) <= sendOrderSlackMs;
}

/**
 * How long a charge is kept after it leaves the window: headers are read against the window as
 * it stood when Groq wrote them, which may be this long before they arrive (a streamed answer's
 * headers come after the model's first latency, longer under load).
 */
const keptForReadingsMs = 60_000;

/** Whether the charge was still in the window at `at` (a reading's time, or now). */
function inWindowAt(entry: UsageEntry, at: number): boolean {
  return entry.expiresAt > at;
}

/**
 * A sliding window of charges. Entries carry their own expiry, so that usage we did not make
 * ourselves (learned from headers: another process, or Groq counting more than we estimated)
 * can expire when Groq says the limit resets rather than a whole window later.
 */
export class UsageWindow {
  /** The charges in the window, and those that left it within `keptForReadingsMs`. */
  private entries: UsageEntry[] = [];

  constructor(readonly lengthMs: number) {}

  charge(now: number, requests: number, tokens: number, expiresAt = now + this.lengthMs, sent = true): UsageEntry {
    const entry: UsageEntry = { at: now, expiresAt, requests, tokens, sent };
    this.entries.push(entry);
    return entry;
  }

  remove(entry: UsageEntry): void {
    const index = this.entries.indexOf(entry);
    if (index !== -1) this.entries.splice(index, 1);
  }

  /**
   * What the window holds at `now`; with `sentBy`, what headers written for a call sent then can
   * count: the calls sent by that time, and every charge that had not left the window by then.
   * Groq writes them when it admits that call, up to its first latency before they arrive; a
   * charge of ours that left our window meanwhile may still have been in Groq's when it wrote
   * them, and is not someone else's use.
   */
  totals(now: number, sentBy?: number): { requests: number; tokens: number } {
    this.prune(now);
    let requests = 0;
    let tokens = 0;
    for (const entry of this.entries) {
      if (!inWindowAt(entry, sentBy ?? now)) continue;
      if (sentBy !== undefined && (!entry.sent || entry.at > sentBy)) continue;
      requests += entry.requests;
      tokens += runningTokensAt(entry, sentBy) ?? entry.tokens;
    }
    return { requests, tokens };
  }

  /**
   * Sums the window both ways: finished calls at their kept and at their used cost; for a
   * reading of headers, the calls sent by then only, and those that may have reached Groq on
   * either side of the carrier as a range (`sentInEitherOrder`).
   */
  hypotheses(now: number, reading?: HeadersReading): AccountingHypotheses {
    this.prune(now);
    const sentBy = reading?.sentBy;
    let kept = 0;
    let used = 0;
    let uncertainty = 0;
    let maybeKept = 0;
    let maybeUsed = 0;
    for (const entry of this.entries) {
      if (!inWindowAt(entry, sentBy ?? now)) continue;
      if (reading !== undefined && sentInEitherOrder(entry, reading)) {
        // Running when the headers were written, it counts the same under either accounting.
        const running = runningTokensAt(entry, sentBy) ?? entry.tokens;
        maybeKept += running;
        maybeUsed += running;
        continue;
      }
      if (sentBy !== undefined && (!entry.sent || entry.at > sentBy)) continue;
      const runningTokens = runningTokensAt(entry, sentBy);
      if (runningTokens !== undefined) {
        kept += runningTokens;
        used += runningTokens;
        uncertainty += runningTokens * runningCallUncertainty;
        continue;
      }
      const keptTokens = entry.settled?.keptTokens ?? entry.tokens;
      const usedTokens = entry.settled?.usedTokens ?? entry.tokens;
      if (sentBy !== undefined && entry.sentWithinMs !== undefined && entry.at + entry.sentWithinMs > sentBy) {
        maybeKept += keptTokens;
        maybeUsed += usedTokens;
        continue;
      }
      kept += keptTokens;
      used += usedTokens;
      if (entry.settled === undefined) uncertainty += entry.tokens * runningCallUncertainty;
    }
    return { kept, used, uncertainty, maybeKept, maybeUsed };
  }

  /** What the window holds now, charge by charge, for a wait estimate. */
  charges(now: number): readonly Readonly<UsageEntry>[] {
    return this.live(now);
  }

  /**
   * Whether some charge leaves the window between `since` and `withinMs` after `now`: headers
   * written then may or may not count it, so they tell nothing about how Groq counts.
   */
  hasChargeExpiringBetween(since: number, now: number, withinMs: number): boolean {
    this.prune(now);
    return this.entries.some((entry) => entry.expiresAt > since && entry.expiresAt <= now + withinMs);
  }

  /** Recounts every finished call under the accounting just learned. */
  recount(accounting: "kept" | "used"): void {
    for (const entry of this.entries) {
      if (entry.settled !== undefined) entry.tokens = accounting === "kept" ? entry.settled.keptTokens : entry.settled.usedTokens;
    }
  }

  /**
   * The earliest time at which the window's totals drop to at most the given figures, or
   * `now` when they already are.
   */
  timeWhenWithin(now: number, maxRequests: number, maxTokens: number): number {
    let { requests, tokens } = this.totals(now);
    if (requests <= maxRequests && tokens <= maxTokens) return now;
    const byExpiry = this.live(now).sort((first, second) => first.expiresAt - second.expiresAt);
    for (const entry of byExpiry) {
      requests -= entry.requests;
      tokens -= entry.tokens;
      if (requests <= maxRequests && tokens <= maxTokens) return entry.expiresAt;
    }
    return now;
  }

  /** The charges still in the window at `now`. */
  private live(now: number): UsageEntry[] {
    this.prune(now);
    return this.entries.filter((entry) => inWindowAt(entry, now));
  }

  private prune(now: number): void {
    const keptAfter = now - keptForReadingsMs;
    if (this.entries.some((entry) => !inWindowAt(entry, keptAfter))) {
      this.entries = this.entries.filter((entry) => inWindowAt(entry, keptAfter));
    }
  }
}
