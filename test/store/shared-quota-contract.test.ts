/**
 * The shared-quota port's contract, run against the Redis scripts (two store connections, as two
 * processes have) and against the in-process implementation (two members of one book): the same
 * answers, to the millisecond. Models are unique per test, so the suite may share a Redis.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessQuota, InProcessQuotaBook } from "../../src/core/models/in-process-quota.js";
import type { KeyValueStore } from "../../src/core/ports/key-value-store.js";
import type { QuotaLimits, ReserveRequest, SharedQuota } from "../../src/core/ports/shared-quota.js";
import { createKeyValueStore } from "../../src/store/create-store.js";
import { providedRedisUrl, describeWhenRedisIs } from "../support/redis-available.js";

interface Pair {
  readonly first: SharedQuota;
  readonly second: SharedQuota;
  close(): Promise<void>;
}

const limits: QuotaLimits = { requestsPerMinute: 3, tokensPerMinute: 1_000, requestsPerDay: 5, tokensPerDay: 2_000 };
const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

function describeSharedQuotaContract(name: string, openPair: () => Promise<Pair>): void {
  describe(`${name}: shared quota contract`, () => {
    let pair: Pair;
    const start = Date.UTC(2026, 10, 26, 12, 0, 0, 250);
    let numbers = 0;
    const model = (): string => `contract/${randomUUID()}`;
    const charge = (quota: SharedQuota, on: string, at: number, tokens: number, more: Partial<ReserveRequest> = {}): ReserveRequest => {
      numbers += 1;
      return {
        model: on,
        id: `${quota.processId}:${numbers}`,
        minuteTokens: tokens,
        dayTokens: tokens,
        minuteExpiresAt: at + minuteMs,
        dayExpiresAt: at + dayMs,
        now: at,
        limits,
        ...more,
      };
    };

    beforeAll(async () => {
      pair = await openPair();
    });
    afterAll(async () => {
      await pair.close();
    });

    it("admits within the minute's requests across processes, then says when the oldest leaves", async () => {
      const on = model();
      for (const [quota, at] of [[pair.first, start], [pair.second, start + 1_000], [pair.first, start + 2_000]] as const) {
        expect((await quota.reserve(charge(quota, on, at, 10))).kind).toBe("admitted");
      }
      const refused = await pair.second.reserve(charge(pair.second, on, start + 3_000, 10));
      expect(refused).toMatchObject({ kind: "refused", limit: "RPM", fitsAt: start + minuteMs });
      // Once the first charge has left the minute, there is room again.
      expect((await pair.second.reserve(charge(pair.second, on, start + minuteMs, 10))).kind).toBe("admitted");
    });

    it("refuses past the minute's tokens, fitting once enough of the oldest charges leave", async () => {
      const on = model();
      await pair.first.reserve(charge(pair.first, on, start, 400));
      await pair.second.reserve(charge(pair.second, on, start + 1_000, 300));
      const refused = await pair.first.reserve(charge(pair.first, on, start + 2_000, 500));
      // 400 + 300 + 500 > 1,000; without the first 400 it fits.
      expect(refused).toMatchObject({ kind: "refused", limit: "TPM", fitsAt: start + minuteMs });
    });

    it("refuses past the day's requests and tokens, naming when the day frees", async () => {
      const requests = model();
      for (let index = 0; index < 5; index += 1) {
        const quota = index % 2 === 0 ? pair.first : pair.second;
        expect((await quota.reserve(charge(quota, requests, start + index * minuteMs, 10))).kind).toBe("admitted");
      }
      expect(await pair.first.reserve(charge(pair.first, requests, start + 5 * minuteMs, 10))).toMatchObject({ kind: "refused", limit: "RPD", fitsAt: start + dayMs });

      const tokens = model();
      await pair.first.reserve(charge(pair.first, tokens, start, 900));
      await pair.second.reserve(charge(pair.second, tokens, start + 2 * minuteMs, 900));
      expect(await pair.first.reserve(charge(pair.first, tokens, start + 4 * minuteMs, 900))).toMatchObject({ kind: "refused", limit: "TPD", fitsAt: start + dayMs });
    });

    it("shows each process the other's charges in the minute, per second of expiry, settled apart from running", async () => {
      const on = model();
      const firstCharge = charge(pair.first, on, start, 100);
      const secondCharge = charge(pair.first, on, start + 200, 150);
      const thirdCharge = charge(pair.first, on, start + 300, 150);
      for (const booked of [firstCharge, secondCharge, thirdCharge]) await pair.first.reserve(booked);
      await pair.first.settle(on, secondCharge.id, 120, 90, { keptTokens: 120, usedTokens: 70, at: start + 400 });
      await pair.first.settle(on, thirdCharge.id, 130, 90, { keptTokens: 130, usedTokens: 80, at: start + 1_400 });
      // A fourth request in the minute: past the contract's usual three.
      const seen = await pair.second.reserve(charge(pair.second, on, start + 1_500, 10, { limits: { ...limits, requestsPerMinute: 4 } }));
      expect(seen.kind).toBe("admitted");
      // All expire within the same second of the minute's end: one bucket running, and the settled
      // ones apart by the second they settled in (headers written between them counted the later running).
      const second = Math.ceil((start + minuteMs) / 1000) * 1000;
      expect(seen.foreignMinute).toEqual([
        { expiresAt: second, requests: 1, tokens: 100 },
        { expiresAt: second, requests: 1, tokens: 120, settled: { keptTokens: 120, usedTokens: 70, at: Math.ceil((start + 400) / 1000) * 1000 } },
        { expiresAt: second, requests: 1, tokens: 130, settled: { keptTokens: 130, usedTokens: 80, at: Math.ceil((start + 1_400) / 1000) * 1000 } },
      ]);
      // A process does not see its own charges as another's.
      const snapshot = await pair.first.read([on], start + 1_600);
      expect(snapshot.models.get(on)?.foreignMinute).toEqual([{ expiresAt: Math.ceil((start + 1_500 + minuteMs) / 1000) * 1000, requests: 1, tokens: 10 }]);
    });

    it("settles to a new amount, releases, and dates a charge from its send", async () => {
      const on = model();
      const big = charge(pair.first, on, start, 900);
      await pair.first.reserve(big);
      expect((await pair.second.reserve(charge(pair.second, on, start + 1_000, 200))).kind).toBe("refused");
      await pair.first.settle(on, big.id, 300, 300, { keptTokens: 900, usedTokens: 300, at: start + 500 });
      expect((await pair.second.reserve(charge(pair.second, on, start + 1_000, 200))).kind).toBe("admitted");

      const other = model();
      const released = charge(pair.first, other, start, 1_000);
      await pair.first.reserve(released);
      await pair.first.release(other, released.id);
      expect((await pair.second.reserve(charge(pair.second, other, start + 1, 1_000))).kind).toBe("admitted");

      const sentLate = model();
      const late = charge(pair.first, sentLate, start, 1_000);
      await pair.first.reserve(late);
      await pair.first.markSent(sentLate, late.id, start + 5_000 + minuteMs, start + 5_000 + dayMs);
      expect(await pair.second.reserve(charge(pair.second, sentLate, start + minuteMs + 1_000, 100))).toMatchObject({ kind: "refused", limit: "TPM", fitsAt: start + 5_000 + minuteMs });
    });

    it("books restored charges without checking limits, and updates one it holds", async () => {
      const on = model();
      const booked = charge(pair.first, on, start, 500);
      await pair.first.reserve(booked);
      await pair.first.restore(
        [
          { ...booked, minuteTokens: 200, settled: { keptTokens: 500, usedTokens: 200, at: start + 1_000 } },
          { model: on, id: `${pair.first.processId}:restored-a`, minuteTokens: 700, dayTokens: 700, minuteExpiresAt: start + 2_000 + minuteMs, dayExpiresAt: start + 2_000 + dayMs },
          { model: on, id: `${pair.first.processId}:restored-b`, minuteTokens: 700, dayTokens: 700, minuteExpiresAt: start + 3_000 + minuteMs, dayExpiresAt: start + 3_000 + dayMs },
        ],
        start + 4_000,
      );
      const snapshot = await pair.second.read([on], start + 4_000);
      const tokens = snapshot.models.get(on)?.foreignMinute.reduce((total, bucket) => total + bucket.tokens, 0);
      expect(tokens).toBe(200 + 700 + 700);
    });

    it("lets one probe past the minute's tokens per interval, whichever process asks", async () => {
      const on = model();
      await pair.first.reserve(charge(pair.first, on, start, 900));
      const probe = { probeIntervalMs: 5_000 };
      expect((await pair.first.reserve(charge(pair.first, on, start + 100, 500, probe))).kind).toBe("admitted");
      expect((await pair.second.reserve(charge(pair.second, on, start + 200, 50, probe))).kind).toBe("refused");
      // (The minute is full: only another probe gets through, once the interval has passed.)
      expect((await pair.second.reserve(charge(pair.second, on, start + 5_200, 50, probe))).kind).toBe("admitted");
    });

    it("shares cooldowns (the later wins), retirements, the newest headers and the accounting", async () => {
      const on = model();
      await pair.first.publishCooldown(on, start + 30_000, "per-minute limit reached", start);
      await pair.second.publishCooldown(on, start + 10_000, "per-minute limit reached", start);
      await pair.first.publishGone(on, "model_decommissioned");
      await pair.first.publishHeaders(on, start + 500, { tokensPerMinuteRemaining: 100 });
      await pair.second.publishHeaders(on, start + 400, { tokensPerMinuteRemaining: 900 });
      await pair.first.publishAccounting("usage_only");
      const snapshot = await pair.second.read([on], start + 1_000);
      expect(snapshot.models.get(on)).toMatchObject({
        cooldown: { until: start + 30_000, reason: "per-minute limit reached" },
        gone: "model_decommissioned",
        headers: { at: start + 500, snapshot: { tokensPerMinuteRemaining: 100 } },
      });
      expect(snapshot.accounting).toBe("usage_only");
      expect(snapshot.processes).toBeGreaterThanOrEqual(2);
      // A cooldown that has run out is not one.
      expect((await pair.second.read([on], start + 31_000)).models.get(on)?.cooldown).toBeUndefined();
    });

    it("shows each process the answers the others finished since its last look, never its own, each once", async () => {
      const on = model();
      // What earlier runs left (a Redis keeps its stream for a day) is read once, here.
      await pair.first.read([on], start);
      await pair.second.read([on], start);
      await pair.first.publishAnswer({ role: "chat", model: on, completionTokens: 120 });
      await pair.second.publishAnswer({ role: "code", model: on, completionTokens: 700 });
      await pair.first.publishAnswer({ role: "chat", model: on, completionTokens: 90 });
      expect((await pair.second.read([on], start)).answers).toEqual([
        { role: "chat", model: on, completionTokens: 120 },
        { role: "chat", model: on, completionTokens: 90 },
      ]);
      expect((await pair.second.read([on], start)).answers).toEqual([]);
      expect((await pair.first.read([on], start)).answers).toEqual([{ role: "code", model: on, completionTokens: 700 }]);
    });

    it("never admits past a limit, however many reservations race", async () => {
      const on = model();
      const racing = Array.from({ length: 40 }, (_, index) => {
        const quota = index % 2 === 0 ? pair.first : pair.second;
        return quota.reserve(charge(quota, on, start + index, 10, { limits: { ...limits, requestsPerMinute: 30, requestsPerDay: 1_000 } }));
      });
      const outcomes = await Promise.all(racing);
      expect(outcomes.filter((outcome) => outcome.kind === "admitted")).toHaveLength(30);
    });
  });
}

describeSharedQuotaContract("in-process", async () => {
  const book = new InProcessQuotaBook();
  return { first: new InProcessQuota("first", book), second: new InProcessQuota("second", book), close: async () => undefined };
});

describeWhenRedisIs(providedRedisUrl !== undefined, "Redis", () => {
  describeSharedQuotaContract("Redis", async () => {
    const database = new URL(providedRedisUrl ?? "");
    database.pathname = "/7";
    const stores: KeyValueStore[] = [await createKeyValueStore(database.toString()), await createKeyValueStore(database.toString())];
    const [first, second] = stores.map((store) => store.sharedQuota);
    if (first === undefined || second === undefined) throw new Error("a Redis store offers a shared quota");
    return { first, second, close: async () => void (await Promise.all(stores.map((store) => store.close()))) };
  });
});
