import { goneTimeToLiveMs, headersTimeToLiveMs, recentAnswersKept } from "../core/models/shared-quota-rules.js";
import type { RateLimitSnapshot } from "../core/ports/model-client.js";
import type {
  AnswerLength,
  ForeignUsage,
  QuotaLimitName,
  ReserveOutcome,
  ReserveRequest,
  RestoredCharge,
  SettledTokens,
  SharedModelSnapshot,
  SharedQuota,
  SharedSnapshot,
} from "../core/ports/shared-quota.js";
import {
  markSentScript,
  publishAnswerScript,
  publishCooldownScript,
  publishHeadersScript,
  readScript,
  releaseScript,
  reserveScript,
  restoreScript,
  settleScript,
} from "./redis-quota-scripts.js";
import { RedisScript, type ScriptClient } from "./redis-script.js";
import { presenceKey, presenceWindowMs } from "./redis-presence.js";

/** What the shared quota needs of a Redis client besides scripts. */
export interface QuotaClient extends ScriptClient {
  set(key: string, value: string, options: { PX: number }): Promise<unknown>;
}

const scripts = {
  reserve: new RedisScript(reserveScript),
  markSent: new RedisScript(markSentScript),
  settle: new RedisScript(settleScript),
  release: new RedisScript(releaseScript),
  restore: new RedisScript(restoreScript),
  read: new RedisScript(readScript),
  publishCooldown: new RedisScript(publishCooldownScript),
  publishHeaders: new RedisScript(publishHeadersScript),
  publishAnswer: new RedisScript(publishAnswerScript),
};

/** Every key of the shared quota starts with this, apart from the rest of Mami's data. */
const prefix = "mami:quota:";
const accountingKey = `${prefix}accounting`;
const answersKey = `${prefix}answers`;
/** How Groq counts is the organization's; a day without a word of it is long enough to forget. */
const accountingTimeToLiveMs = 24 * 60 * 60_000;

function modelKeys(model: string): { minute: string; day: string; charges: string; dayTokens: string; probe: string; cooldown: string; gone: string; headers: string } {
  const base = `${prefix}${model}:`;
  return {
    minute: `${base}minute`,
    day: `${base}day`,
    charges: `${base}charges`,
    dayTokens: `${base}day-tokens`,
    probe: `${base}probe`,
    cooldown: `${base}cooldown`,
    gone: `${base}gone`,
    headers: `${base}headers`,
  };
}

/** Redis takes whole numbers where the scripts count; limits may be "no limit". */
function whole(value: number): string {
  return String(Math.ceil(Math.min(value, Number.MAX_SAFE_INTEGER)));
}

/**
 * The shared-quota port on Redis: one Lua script per operation (redis-quota-scripts.ts), over
 * the one connection the store already has. Failures reject: the core decides what an
 * unreachable Redis means (core/models/shared-reservations.ts).
 */
export class RedisSharedQuota implements SharedQuota {
  private readonly ownerPrefix: string;
  /** The id of the last answer this process read from the stream ("" before its first look). */
  private answersRead = "";

  constructor(
    private readonly client: QuotaClient,
    readonly processId: string,
  ) {
    this.ownerPrefix = `${processId}:`;
  }

  async reserve(request: ReserveRequest): Promise<ReserveOutcome> {
    const keys = modelKeys(request.model);
    const reply = (await scripts.reserve.run(
      this.client,
      [keys.minute, keys.day, keys.charges, keys.dayTokens, keys.probe],
      [
        String(Math.floor(request.now)),
        request.id,
        whole(request.minuteTokens),
        whole(request.dayTokens),
        whole(request.minuteExpiresAt),
        whole(request.dayExpiresAt),
        whole(request.limits.requestsPerMinute),
        whole(request.limits.tokensPerMinute),
        whole(request.limits.requestsPerDay),
        whole(request.limits.tokensPerDay),
        whole(request.probeIntervalMs ?? 0),
        this.ownerPrefix,
      ],
    )) as [string, string, number, unknown[]];
    const [verdict, limit, fitsAt, foreign] = reply;
    const foreignMinute = parseForeignMinute(foreign);
    if (verdict === "admitted") return { kind: "admitted", foreignMinute };
    return { kind: "refused", limit: limit as QuotaLimitName, fitsAt: Number(fitsAt), foreignMinute };
  }

  async markSent(model: string, id: string, minuteExpiresAt: number, dayExpiresAt: number): Promise<void> {
    const keys = modelKeys(model);
    await scripts.markSent.run(this.client, [keys.minute, keys.day], [id, whole(minuteExpiresAt), whole(dayExpiresAt)]);
  }

  async settle(model: string, id: string, minuteTokens: number, dayTokens: number, settled: SettledTokens): Promise<void> {
    const keys = modelKeys(model);
    await scripts.settle.run(this.client, [keys.day, keys.charges, keys.dayTokens], [id, whole(minuteTokens), whole(dayTokens), whole(settled.keptTokens), whole(settled.usedTokens), whole(settled.at)]);
  }

  async release(model: string, id: string): Promise<void> {
    const keys = modelKeys(model);
    await scripts.release.run(this.client, [keys.minute, keys.day, keys.charges, keys.dayTokens], [id]);
  }

  async restore(charges: readonly RestoredCharge[], now: number): Promise<void> {
    const byModel = new Map<string, RestoredCharge[]>();
    for (const charge of charges) byModel.set(charge.model, [...(byModel.get(charge.model) ?? []), charge]);
    for (const [model, ofModel] of byModel) {
      const keys = modelKeys(model);
      const args = ofModel.flatMap((charge) => [
        charge.id,
        whole(charge.minuteTokens),
        whole(charge.dayTokens),
        whole(charge.minuteExpiresAt),
        whole(charge.dayExpiresAt),
        charge.settled === undefined ? "" : whole(charge.settled.keptTokens),
        charge.settled === undefined ? "" : whole(charge.settled.usedTokens),
        charge.settled === undefined ? "" : whole(charge.settled.at),
      ]);
      await scripts.restore.run(this.client, [keys.minute, keys.day, keys.charges, keys.dayTokens], [String(Math.floor(now)), ...args]);
    }
  }

  async read(models: readonly string[], now: number): Promise<SharedSnapshot> {
    const keys = models.flatMap((model) => {
      const of = modelKeys(model);
      return [of.minute, of.day, of.charges, of.dayTokens, of.cooldown, of.gone, of.headers];
    });
    const reply = (await scripts.read.run(
      this.client,
      [...keys, answersKey, accountingKey, presenceKey],
      [String(Math.floor(now)), this.ownerPrefix, this.processId, String(presenceWindowMs), this.answersRead, String(recentAnswersKept)],
    )) as [[unknown[], string, string, string][], string, number, [string, string, string][], string];
    const [perModel, accounting, processes, answers, lastAnswerId] = reply;
    this.answersRead = lastAnswerId;
    const snapshots = new Map<string, SharedModelSnapshot>();
    models.forEach((model, index) => {
      const [foreign, cooldown, gone, headers] = perModel[index] ?? [[], "", "", ""];
      const parsedCooldown = cooldown === "" ? undefined : (JSON.parse(cooldown) as { endsAt: number; reason: string });
      snapshots.set(model, {
        foreignMinute: parseForeignMinute(foreign),
        ...(parsedCooldown === undefined || parsedCooldown.endsAt <= now ? {} : { cooldown: { until: parsedCooldown.endsAt, reason: parsedCooldown.reason } }),
        ...(gone === "" ? {} : { gone }),
        ...(headers === "" ? {} : { headers: JSON.parse(headers) as { at: number; snapshot: RateLimitSnapshot } }),
      });
    });
    return {
      models: snapshots,
      answers: answers.map(([role, model, tokens]): AnswerLength => ({ role, model, completionTokens: Number(tokens) })),
      processes: Math.max(1, Number(processes)),
      ...(accounting === "usage_only" || accounting === "reservation_kept" ? { accounting } : {}),
    };
  }

  async publishCooldown(model: string, until: number, reason: string, now: number): Promise<void> {
    const value = JSON.stringify({ endsAt: Math.ceil(until), reason });
    await scripts.publishCooldown.run(this.client, [modelKeys(model).cooldown], [whole(until), value, whole(Math.max(1_000, until - now))]);
  }

  async publishGone(model: string, reason: string): Promise<void> {
    await this.client.set(modelKeys(model).gone, reason, { PX: goneTimeToLiveMs });
  }

  async publishHeaders(model: string, at: number, snapshot: RateLimitSnapshot): Promise<void> {
    await scripts.publishHeaders.run(this.client, [modelKeys(model).headers], [whole(at), JSON.stringify({ at: Math.ceil(at), snapshot }), whole(headersTimeToLiveMs)]);
  }

  async publishAccounting(accounting: "usage_only" | "reservation_kept"): Promise<void> {
    await this.client.set(accountingKey, accounting, { PX: accountingTimeToLiveMs });
  }

  async publishAnswer(answer: AnswerLength): Promise<void> {
    await scripts.publishAnswer.run(this.client, [answersKey], [String(recentAnswersKept), this.processId, answer.role, answer.model, whole(answer.completionTokens)]);
  }
}

/** The scripts' buckets, {expiresAt, requests, tokens, settled, kept, used, settledAt}, as the port has them. */
function parseForeignMinute(reply: unknown): ForeignUsage[] {
  if (!Array.isArray(reply)) return [];
  const buckets = (reply as unknown[][]).map((bucket) => {
    const [expiresAt, requests, tokens, settled, kept, used, settledAt] = bucket.map(Number) as [number, number, number, number, number, number, number];
    return { expiresAt, requests, tokens, ...(settled === 1 ? { settled: { keptTokens: kept, usedTokens: used, at: settledAt } } : {}) };
  });
  // Oldest first; of one second, running calls before settled ones, and those by when they
  // settled (as the in-process quota orders them).
  return buckets.sort(
    (first, second) => first.expiresAt - second.expiresAt || Number(first.settled !== undefined) - Number(second.settled !== undefined) || (first.settled?.at ?? 0) - (second.settled?.at ?? 0),
  );
}
