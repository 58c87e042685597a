import type { KeyValueStore } from "../ports/key-value-store.js";
import type { FinalReply } from "../reply.js";
import { KeyedSerializer } from "./keyed-serializer.js";
import { usageDay } from "./usage.js";

export interface RequestsAndTokens {
  readonly requests: number;
  readonly tokens: number;
}

export interface UserDayFigures extends RequestsAndTokens {
  /** The name they last wrote under, to show in /stats. */
  readonly name: string;
}

/**
 * One UTC day of the whole bot, every chat and platform, for `/stats`: what was asked, who
 * answered, who used the most, and how many were turned away.
 */
export interface DailyStats {
  readonly day: string;
  /** Every message the pipeline handled: answers, refusals and errors. */
  readonly requests: number;
  /** Answers by the role they were routed to. */
  readonly byRole: Readonly<Record<string, number>>;
  /** Answers by the model that gave them, with the tokens their calls used (continuations included). */
  readonly byModel: Readonly<Record<string, RequestsAndTokens>>;
  /** Answers and their tokens by user (`tg:123`), at most `maxUsersKept`. */
  readonly byUser: Readonly<Record<string, UserDayFigures>>;
  /** Told that every model was busy, with when to retry. */
  readonly toldBusy: number;
  /** Answers that waited in the quota queue first. */
  readonly queued: number;
  /** Refused by the safety screen. */
  readonly refused: number;
  /** Any other error: a bad input, a spent budget, an outage. */
  readonly failed: number;
}

function emptyDay(day: string): DailyStats {
  return { day, requests: 0, byRole: {}, byModel: {}, byUser: {}, toldBusy: 0, queued: 0, refused: 0, failed: 0 };
}

/** A day is read on that day; kept a little longer so a day just ended can still be looked into. */
const statsTimeToLiveMs = 3 * 24 * 60 * 60_000;
/**
 * Users kept per day, so the row stays small however many write. When a new user would pass it,
 * the one with the fewest tokens goes: the top of the list is exact unless thousands of users
 * each used about as much as the leaders.
 */
export const maxUsersKept = 1_000;

export async function loadDailyStats(store: KeyValueStore, now: number): Promise<DailyStats> {
  const day = usageDay(now);
  return (await store.get<DailyStats>("daily-stats", day)) ?? emptyDay(day);
}

/** What one final reply adds to the day. */
export function addReplyToDay(day: DailyStats, reply: FinalReply, user: { readonly key: string; readonly name: string }): DailyStats {
  const counted = { ...day, requests: day.requests + 1 };
  if (reply.kind === "refusal") return { ...counted, refused: day.refused + 1 };
  if (reply.kind === "notice") return counted;
  if (reply.kind === "error") {
    const busy = reply.failure === "busy" || (reply.failure === "no_model_available" && reply.retryAfterMs !== undefined);
    return busy ? { ...counted, toldBusy: day.toldBusy + 1 } : { ...counted, failed: day.failed + 1 };
  }
  const tokens = reply.usage?.totalTokens ?? 0;
  const model = day.byModel[reply.model] ?? { requests: 0, tokens: 0 };
  const person = day.byUser[user.key] ?? { requests: 0, tokens: 0, name: user.name };
  return {
    ...counted,
    queued: day.queued + (reply.queuedMs > 0 ? 1 : 0),
    byRole: { ...day.byRole, [reply.role]: (day.byRole[reply.role] ?? 0) + 1 },
    byModel: { ...day.byModel, [reply.model]: { requests: model.requests + 1, tokens: model.tokens + tokens } },
    byUser: withinUserLimit({ ...day.byUser, [user.key]: { name: user.name, requests: person.requests + 1, tokens: person.tokens + tokens } }, user.key),
  };
}

function withinUserLimit(byUser: Record<string, UserDayFigures>, keep: string): Record<string, UserDayFigures> {
  const entries = Object.entries(byUser);
  if (entries.length <= maxUsersKept) return byUser;
  const [smallest] = entries.filter(([key]) => key !== keep).sort(([, first], [, second]) => first.tokens - second.tokens)[0] ?? [];
  if (smallest === undefined) return byUser;
  const { [smallest]: _dropped, ...rest } = byUser;
  return rest;
}

/**
 * One read-modify-write per reply, one at a time in this process. Processes sharing Redis can
 * overlap and lose a count now and then; the figures are for an operator's glance, not billing.
 */
const dayUpdates = new KeyedSerializer();

export function recordReplyInDay(store: KeyValueStore, now: number, reply: FinalReply, user: { readonly key: string; readonly name: string }): Promise<void> {
  const day = usageDay(now);
  return dayUpdates.run(day, async () => {
    const next = addReplyToDay(await loadDailyStats(store, now), reply, user);
    await store.set("daily-stats", day, next, statsTimeToLiveMs);
  });
}

/** The users with the most tokens today, most first. */
export function topUsers(stats: DailyStats, count: number): readonly (UserDayFigures & { readonly key: string })[] {
  return Object.entries(stats.byUser)
    .map(([key, figures]) => ({ key, ...figures }))
    .sort((first, second) => second.tokens - first.tokens || second.requests - first.requests)
    .slice(0, count);
}
