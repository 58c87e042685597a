import { randomUUID } from "node:crypto";
import type { Clock } from "../ports/clock.js";
import type { KeyValueStore } from "../ports/key-value-store.js";
import { KeyedSerializer } from "./keyed-serializer.js";
import type { CostSource, RequestCost } from "./request-cost.js";

/** A request's claim on its user's daily budget while it runs: tokens, from when, until it lapses. */
interface BudgetHoldEntry {
  readonly tokens: number;
  readonly since: number;
  readonly until: number;
}

/** One user's UTC day. */
export interface DailyUsage {
  /** Tokens charged by the requests that ended today: every call they made (request-cost.ts). */
  readonly tokens: number;
  readonly requests: number;
  readonly bySource: Readonly<Partial<Record<CostSource, number>>>;
  /** Tokens held by requests under way, by hold, so that concurrent requests cannot overrun. */
  readonly held: Readonly<Record<string, BudgetHoldEntry>>;
}

const emptyUsage: DailyUsage = { tokens: 0, requests: 0, bySource: {}, held: {} };
/** A day's row is kept a little past its day (for /status and logs) and then expires. */
const usageTimeToLiveMs = 3 * 24 * 60 * 60_000;

/** UTC day: budgets reset at midnight UTC, the same for every user and process. */
export function usageDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

function usageKey(userKey: string, now: number): string {
  return `${userKey}:${usageDay(now)}`;
}

export async function loadUsage(store: KeyValueStore, userKey: string, now: number): Promise<DailyUsage> {
  const stored = await store.get<Partial<DailyUsage>>("usage", usageKey(userKey, now));
  // Rows written before holds existed have no `held` or `bySource`.
  return { ...emptyUsage, ...stored, bySource: stored?.bySource ?? {}, held: stored?.held ?? {} };
}

/** Why a request may not hold what it wants: the day's budget is spent, or the user's requests under way hold the rest. */
export interface BudgetRefusal {
  readonly refused: "spent" | "held_by_others";
}

/** What a request may hold: `held` tokens, or why not. */
export type HoldDecision = { readonly held: number } | BudgetRefusal;

/** Which of the user's requests under way came first: the one that may go on with less than it wants. */
function isBefore(first: { readonly id: string; readonly since: number }, second: { readonly id: string; readonly since: number }): boolean {
  return first.since < second.since || (first.since === second.since && first.id < second.id);
}

/**
 * Whether a request may hold `wanted` tokens (replacing what it holds): when what is left after
 * today's charges and the other requests' live holds covers it.
 *
 * A request that wants more than is left is refused, with two exceptions, so that a budget
 * smaller than one request still answers one request at a time and two requests never refuse
 * each other: a new request may take the rest when none of the user's other requests is under
 * way, and a request growing its hold once prepared goes on with what it can get when it is the
 * oldest under way. Only that one request holds less than it is expected to cost, so the day is
 * overrun by at most what it costs beyond its hold (and by what a request costs beyond its
 * estimate: an answer continued past its first completion budget).
 */
export function decideHold(
  usage: DailyUsage,
  request: { readonly id: string; readonly since: number; readonly growing: boolean },
  wanted: number,
  limit: number,
  now: number,
): HoldDecision {
  const others = Object.entries(usage.held).filter(([id, hold]) => id !== request.id && hold.until > now);
  const heldByOthers = others.reduce((total, [, hold]) => total + hold.tokens, 0);
  const left = limit - usage.tokens - heldByOthers;
  if (wanted <= left) return { held: wanted };
  const holding = usage.held[request.id]?.tokens ?? 0;
  if (request.growing && others.every(([id, hold]) => isBefore(request, { id, since: hold.since }))) return { held: Math.max(holding, left) };
  if (!request.growing && others.length === 0 && left > 0) return { held: left };
  return { refused: usage.tokens >= limit ? "spent" : "held_by_others" };
}

function liveHolds(held: DailyUsage["held"], now: number, without: string): Record<string, BudgetHoldEntry> {
  return Object.fromEntries(Object.entries(held).filter(([id, hold]) => id !== without && hold.until > now));
}

/**
 * Each change to a user's row is a read-modify-write, run one at a time per user in this
 * process, so holds and charges never overlap here. Processes sharing Redis serialize only
 * their own writes: the store has no compare-and-set, so two processes changing one user's row
 * in the same few milliseconds can both read it before either writes, and the later write loses
 * the other's hold or charge. That takes one user's messages handled by two processes at once:
 * rare on Telegram (a chat's updates reach one worker at a time), ordinary on Discord for someone
 * active in guilds on different shards (shards divide guilds, not users; DMs are shard 0's). The
 * overrun is at most the requests admitted in that moment; a compare-and-set on the store would
 * close it.
 */
const updates = new KeyedSerializer();

/**
 * A request's hold on its user's daily budget (USER_DAILY_TOKENS): taken at admission from an
 * estimate, grown once the request is prepared, and settled at the end with every token the
 * request really cost. A hold lapses on its own, so a process that dies mid-request does not
 * keep the user's budget. With no budget (a limit of 0) nothing is held, and the request is
 * still charged at the end, for /status.
 */
export class BudgetHold {
  private readonly id = randomUUID();
  private taken = false;

  private constructor(
    private readonly store: KeyValueStore,
    private readonly userKey: string,
    /** The day of the hold is the day charged, even when the request ends after midnight. */
    private readonly heldAt: number,
    private readonly limit: number,
    private readonly lifetimeMs: number,
    private readonly clock: Clock,
  ) {}

  /** Holds `tokens` of the user's day for a new request, or says why it may not start. */
  static async take(
    store: KeyValueStore,
    clock: Clock,
    budget: { readonly userKey: string; readonly limit: number; readonly lifetimeMs: number },
    tokens: number,
  ): Promise<BudgetHold | BudgetRefusal> {
    const hold = new BudgetHold(store, budget.userKey, clock.now(), budget.limit, budget.lifetimeMs, clock);
    const decision = await hold.growTo(tokens);
    return "refused" in decision ? decision : hold;
  }

  /** Holds `tokens` in all (more than before, as the request turned out larger), when what is left allows. */
  growTo(tokens: number): Promise<HoldDecision> {
    if (this.limit <= 0) return Promise.resolve({ held: tokens });
    return updates.run(this.userKey, async () => {
      const now = this.clock.now();
      const current = await loadUsage(this.store, this.userKey, this.heldAt);
      const decision = decideHold(current, { id: this.id, since: this.heldAt, growing: this.taken }, Math.ceil(tokens), this.limit, now);
      if ("refused" in decision) return decision;
      this.taken = true;
      const held = { ...liveHolds(current.held, now, this.id), [this.id]: { tokens: decision.held, since: this.heldAt, until: now + this.lifetimeMs } };
      await this.store.set<DailyUsage>("usage", usageKey(this.userKey, this.heldAt), { ...current, held }, usageTimeToLiveMs);
      return decision;
    });
  }

  /** Ends the hold and charges what the request cost, whatever it held. */
  settle(cost: RequestCost): Promise<void> {
    return updates.run(this.userKey, async () => {
      const current = await loadUsage(this.store, this.userKey, this.heldAt);
      const bySource: Partial<Record<CostSource, number>> = { ...current.bySource };
      for (const [source, tokens] of Object.entries(cost.breakdown()) as [CostSource, number][]) bySource[source] = (bySource[source] ?? 0) + tokens;
      const next: DailyUsage = {
        tokens: current.tokens + cost.total,
        // A request refused before it cost anything is not one of the day's requests.
        requests: current.requests + (cost.total > 0 ? 1 : 0),
        bySource,
        held: liveHolds(current.held, this.clock.now(), this.id),
      };
      await this.store.set<DailyUsage>("usage", usageKey(this.userKey, this.heldAt), next, usageTimeToLiveMs);
    });
  }
}

/** Milliseconds until the next UTC midnight, when daily budgets reset. */
export function untilNextUsageDay(now: number): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return next.getTime() - now;
}
