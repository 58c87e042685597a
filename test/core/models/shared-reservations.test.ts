import { describe, expect, it } from "vitest";
import { InProcessQuota, InProcessQuotaBook } from "../../../src/core/models/in-process-quota.js";
import { ModelState } from "../../../src/core/models/model-state.js";
import { SharedReservations, shareOf } from "../../../src/core/models/shared-reservations.js";
import type { SharedQuota } from "../../../src/core/ports/shared-quota.js";
import { ManualClock } from "../../support/manual-clock.js";
import { recordingLogger, type LoggedLine } from "../../support/recording-logger.js";

const model = "openai/gpt-oss-120b";
const limits = { requestsPerMinute: 30, requestsPerDay: 1_000, tokensPerMinute: 8_000, tokensPerDay: 200_000 };

/** The shared quota of one organization (one book), reachable or not, as Redis is. */
class ReachableQuota implements SharedQuota {
  reachable = true;

  constructor(private readonly inner: InProcessQuota) {}

  get processId(): string {
    return this.inner.processId;
  }

  private async reach<Result>(operation: () => Promise<Result>): Promise<Result> {
    if (!this.reachable) throw new Error("The client is offline");
    return operation();
  }

  reserve: SharedQuota["reserve"] = (request) => this.reach(() => this.inner.reserve(request));
  markSent: SharedQuota["markSent"] = (...args) => this.reach(() => this.inner.markSent(...args));
  settle: SharedQuota["settle"] = (...args) => this.reach(() => this.inner.settle(...args));
  release: SharedQuota["release"] = (...args) => this.reach(() => this.inner.release(...args));
  restore: SharedQuota["restore"] = (...args) => this.reach(() => this.inner.restore(...args));
  read: SharedQuota["read"] = (...args) => this.reach(() => this.inner.read(...args));
  publishCooldown: SharedQuota["publishCooldown"] = (...args) => this.reach(() => this.inner.publishCooldown(...args));
  publishGone: SharedQuota["publishGone"] = (...args) => this.reach(() => this.inner.publishGone(...args));
  publishHeaders: SharedQuota["publishHeaders"] = (...args) => this.reach(() => this.inner.publishHeaders(...args));
  publishAccounting: SharedQuota["publishAccounting"] = (...args) => this.reach(() => this.inner.publishAccounting(...args));
  publishAnswer: SharedQuota["publishAnswer"] = (...args) => this.reach(() => this.inner.publishAnswer(...args));
}

function startProcess(book: InProcessQuotaBook, name: string, clock: ManualClock, lines: LoggedLine[] = []): { quota: ReachableQuota; sharing: SharedReservations; state: ModelState } {
  const quota = new ReachableQuota(new InProcessQuota(name, book));
  const sharing = new SharedReservations(quota, clock, recordingLogger(lines));
  const state = new ModelState(model, limits);
  state.sharing = sharing;
  return { quota, sharing, state };
}

describe("shared reservations", () => {
  it("books a reservation on the shared quota, and refuses one the organization has no room for, releasing it here", async () => {
    const clock = new ManualClock();
    const book = new InProcessQuotaBook();
    const first = startProcess(book, "first", clock);
    const second = startProcess(book, "second", clock);
    const big = first.state.reserve(clock.now(), 7_000);
    expect(await first.sharing.confirm(first.state, big)).toBeUndefined();
    expect(big.sharedChargeId).toMatch(/^first:/);

    // The second process has not looked yet: its own view has room, the organization has not.
    const refused = second.state.reserve(clock.now(), 2_000);
    expect(second.state.freeTokensPerMinute(clock.now())).toBe(6_000);
    const refusal = await second.sharing.confirm(second.state, refused);
    expect(refusal).toMatchObject({ model, until: clock.now() + 60_000 });
    expect(refusal?.reason).toMatch(/^TPM spent \(the organization's quota\)/);
    // Released here, and the other process's charge now mirrored.
    expect(second.state.freeTokensPerMinute(clock.now())).toBe(1_000);
  });

  it("follows a booked reservation on the shared quota as it is sent, settled and released", async () => {
    const clock = new ManualClock();
    const book = new InProcessQuotaBook();
    const first = startProcess(book, "first", clock);
    const second = startProcess(book, "second", clock);
    const reservation = first.state.reserve(clock.now(), 7_000);
    await first.sharing.confirm(first.state, reservation);
    await clock.advance(2_000);
    first.state.markSent(reservation, clock.now());
    first.state.settle(reservation, { promptTokens: 500, completionTokens: 100, totalTokens: 600 }, 1_500, clock.now());
    const seen = await second.quota.read([model], clock.now());
    expect(seen.models.get(model)?.foreignMinute).toEqual([
      { expiresAt: Math.ceil((clock.now() + 60_500) / 1000) * 1000, requests: 1, tokens: 2_000, settled: { keptTokens: 2_000, usedTokens: 600, at: Math.ceil(clock.now() / 1000) * 1000 } },
    ]);

    const other = first.state.reserve(clock.now(), 3_000);
    await first.sharing.confirm(first.state, other);
    first.state.release(other);
    expect((await second.quota.read([model], clock.now())).models.get(model)?.foreignMinute.reduce((total, bucket) => total + bucket.tokens, 0)).toBe(2_000);
  });

  it("goes on alone with 1/N of each limit while the shared quota is unreachable, says so once, and shares again when it returns", async () => {
    const clock = new ManualClock();
    const book = new InProcessQuotaBook();
    const lines: LoggedLine[] = [];
    const first = startProcess(book, "first", clock, lines);
    const second = startProcess(book, "second", clock);
    // Both processes have been seen: the share is a half.
    await first.sharing.refresh([model], () => undefined);
    expect(shareOf(limits, 2)).toEqual({ requestsPerMinute: 15, tokensPerMinute: 4_000, requestsPerDay: 500, tokensPerDay: 100_000 });

    first.quota.reachable = false;
    const admitted = [];
    for (let index = 0; index < 5; index += 1) {
      const reservation = first.state.reserve(clock.now(), 1_000);
      const refusal = await first.sharing.confirm(first.state, reservation);
      if (refusal === undefined) admitted.push(reservation);
      else expect(refusal.reason).toMatch(/this process's share/);
    }
    // Half of the minute, less one call the other process may have booked since the last look:
    // (8,000 - 1,000) / 2 = 3,500 tokens.
    expect(admitted).toHaveLength(3);
    for (const reservation of admitted) first.state.markSent(reservation, clock.now());
    const warnings = lines.filter((line) => line.message.startsWith("the shared quota (Redis, STORE_URL) cannot be reached"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain("1/2 of each model's limits");

    first.quota.reachable = true;
    await clock.advance(1_000);
    await first.sharing.refresh([model], () => undefined);
    expect(lines.filter((line) => line.message.startsWith("the shared quota (Redis, STORE_URL) answers again"))).toHaveLength(1);
    expect(first.sharing.countingAlone).toBe(false);
    // What it charged while alone is booked on the shared quota: the other process counts it.
    const seen = (await second.quota.read([model], clock.now())).models.get(model)?.foreignMinute ?? [];
    expect(seen.reduce((total, bucket) => total + bucket.tokens, 0)).toBe(3_000);
    expect(await second.sharing.confirm(second.state, second.state.reserve(clock.now(), 5_500))).toMatchObject({ model });
  });

  it("alone, takes 1/N of the room the minute had left, so that processes that held it unevenly stay within it together", async () => {
    const clock = new ManualClock();
    const book = new InProcessQuotaBook();
    const processes = ["first", "second", "third"].map((name) => startProcess(book, name, clock));
    const [first, second] = processes as [(typeof processes)[number], (typeof processes)[number]];
    const look = async (): Promise<void> => {
      await clock.advance(1_000);
      for (const { sharing, state } of processes) {
        await sharing.refresh([model], (snapshot) => state.mirrorForeignMinute(snapshot.models.get(model)?.foreignMinute ?? [], clock.now()));
      }
    };
    await look();
    const held = first.state.reserve(clock.now(), 4_000);
    expect(await first.sharing.confirm(first.state, held)).toBeUndefined();
    first.state.markSent(held, clock.now());
    await look();
    for (const { quota } of processes) quota.reachable = false;

    // 4,000 tokens left in the minute, less one such call of each other process since the last
    // look, a third each: 900 tokens do not fit ((4,000 - 1,800) / 3 = 733), 500 do (1,000);
    // 1/3 of the whole limit would have let 2,666 through.
    expect(await second.sharing.confirm(second.state, second.state.reserve(clock.now(), 900))).toMatchObject({ model });
    expect(await second.sharing.confirm(second.state, second.state.reserve(clock.now(), 500))).toBeUndefined();
    // The first process held 4,000 before: it may add its third of the room, no more.
    expect(await first.sharing.confirm(first.state, first.state.reserve(clock.now(), 1_000))).toMatchObject({ model });
    expect(await first.sharing.confirm(first.state, first.state.reserve(clock.now(), 500))).toBeUndefined();
  });

  it("keeps to its share for a minute after rejoining, when the others' charges may not be back yet", async () => {
    const clock = new ManualClock();
    const book = new InProcessQuotaBook();
    const first = startProcess(book, "first", clock);
    const second = startProcess(book, "second", clock);
    await second.sharing.refresh([model], () => undefined);
    await first.sharing.refresh([model], () => undefined);
    first.quota.reachable = false;
    const whileAlone = first.state.reserve(clock.now(), 1_000);
    expect(await first.sharing.confirm(first.state, whileAlone)).toBeUndefined();
    first.state.markSent(whileAlone, clock.now());
    first.quota.reachable = true;
    await clock.advance(1_000);
    await first.sharing.refresh([model], () => undefined);
    expect(first.sharing.countingAlone).toBe(false);

    // The organization's minute has room for 3,500 more; this process's share has not
    // ((8,000 - 3,500) / 2 = 2,250, and it holds 1,000).
    const refusal = await first.sharing.confirm(first.state, first.state.reserve(clock.now(), 3_500));
    expect(refusal?.reason).toMatch(/this process's share, just after an outage/);
    const withinShare = first.state.reserve(clock.now(), 1_000);
    expect(await first.sharing.confirm(first.state, withinShare)).toBeUndefined();
    first.state.release(withinShare);

    await clock.advance(61_000);
    expect(await first.sharing.confirm(first.state, first.state.reserve(clock.now(), 5_000))).toBeUndefined();
  });
});
