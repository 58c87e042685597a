import { describe, expect, it } from "vitest";
import type { ModelCall } from "../../../src/core/generation/model-call.js";
import { ModelCatalog } from "../../../src/core/models/catalog.js";
import { defaultChains } from "../../../src/core/models/default-chains.js";
import { ModelRegistry } from "../../../src/core/models/model-registry.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import type { Selection } from "../../../src/core/selection/model-selector.js";
import { ModelSelector } from "../../../src/core/selection/model-selector.js";
import { QuotaQueue } from "../../../src/core/selection/quota-queue.js";
import { ManualClock } from "../../support/manual-clock.js";

const model = "openai/gpt-oss-120b";
const oneModel = { ...defaultChains, chat: [model] };

/** A call that costs `tokens` of the model's minute and nothing else. */
function callCosting(tokens: number, arrivedAt: number): ModelCall<string> {
  return {
    spec: { role: "chat", candidates: [model], needsImages: false, arrivedAt, maxQueueWaitMs: 600_000, timeoutMs: 30_000 },
    fit: () => ({ fits: true, plan: { messages: [], promptTokens: 0, completionBudget: tokens } }),
    send: async function* () {
      return { kind: "done", outcome: "", usage: undefined };
    },
  };
}

function setUp(): { clock: ManualClock; registry: ModelRegistry; queue: QuotaQueue } {
  const clock = new ManualClock();
  const registry = new ModelRegistry(new ModelCatalog(), oneModel, silentLogger, clock.now());
  return { clock, registry, queue: new QuotaQueue(new ModelSelector(registry), registry, clock) };
}

/** Charges the model's minute with a sent call of `tokens` now. */
function charge(registry: ModelRegistry, clock: ManualClock, tokens: number): void {
  const state = registry.state(model);
  state.markSent(state.reserve(clock.now(), tokens), clock.now());
}

/** 1,000 tokens charged now, which leave the minute first, then 6,800 a second later: 200 left. */
async function fillLeavingTwoHundred(registry: ModelRegistry, clock: ManualClock): Promise<void> {
  charge(registry, clock, 1_000);
  await clock.advance(1_000);
  charge(registry, clock, 6_800);
}

/** 4,000 tokens charged now, which leave the minute at about 60.5 s, and 3,900 a second later, at about 61.5 s: 100 left. */
async function fillInTwoHalves(registry: ModelRegistry, clock: ManualClock): Promise<void> {
  charge(registry, clock, 4_000);
  await clock.advance(1_000);
  charge(registry, clock, 3_900);
}

describe("the quota queue", () => {
  it("finishes an answer under way before it starts a new message that arrived earlier", async () => {
    const { clock, registry, queue } = setUp();
    const start = clock.now();
    await fillLeavingTwoHundred(registry, clock);
    const served: string[] = [];
    const note = (name: string) => (selection: Selection) => {
      if (selection.kind === "selected") served.push(name);
    };
    // A new message that arrived at 1 s, and the continuation of an answer to one that arrived at 2 s.
    const newMessage = queue.wait({ call: callCosting(1_000, start + 1_000), excluded: new Set() }, start + 1_000, start + 600_000).then(note("new message"));
    const continuation = queue.wait({ call: callCosting(1_000, start + 2_000), excluded: new Set(), underWay: true }, start + 2_000, start + 600_000).then(note("continuation"));
    await clock.advance(0);
    expect(served).toEqual([]);
    // The first 1,000 tokens leave the minute: room for one of them.
    await clock.advance(start + 60_600 - clock.now());
    expect(served).toEqual(["continuation"]);
    await clock.advance(start + 61_600 - clock.now());
    await Promise.all([newMessage, continuation]);
    expect(served).toEqual(["continuation", "new message"]);
  });

  it("serves new messages in the order they arrived, whatever order they came to wait in", async () => {
    const { clock, registry, queue } = setUp();
    const start = clock.now();
    await fillLeavingTwoHundred(registry, clock);
    const served: number[] = [];
    const waiting = [3_000, 1_000, 2_000].map((arrivedAt) =>
      queue.wait({ call: callCosting(1_000, start + arrivedAt), excluded: new Set() }, start + arrivedAt, start + 600_000).then((selection) => {
        if (selection.kind === "selected") served.push(arrivedAt);
      }),
    );
    await clock.advance(start + 60_600 - clock.now());
    expect(served).toEqual([1_000]);
    await clock.advance(start + 61_600 - clock.now());
    await Promise.all(waiting);
    expect(served).toEqual([1_000, 2_000, 3_000]);
  });

  it("counts a message still to come that arrived earlier in a later message's wait, until its turn comes", async () => {
    const { clock, registry, queue } = setUp();
    const start = clock.now();
    await fillInTwoHalves(registry, clock);
    const waiting = queue.wait({ call: callCosting(4_000, start + 1_000), excluded: new Set() }, start + 1_000, start + 600_000);
    await clock.advance(0);
    const later = { call: callCosting(4_000, start + 3_000), excluded: new Set<string>() };
    const alone = queue.estimateWaitMs(later, start + 3_000);
    // One that arrived at 2 s waits for its conversation's previous message: it will come in
    // ahead of the later one, at about what the one waiting costs.
    const turnCame = queue.expectLater(start + 2_000);
    const behindIt = queue.estimateWaitMs(later, start + 3_000);
    expect(alone).toBeLessThan(62_000);
    // The minute holds the waiting one's and the coming one's 4,000 each until the first leaves.
    expect(behindIt).toBeGreaterThan(alone! + 55_000);
    // One that arrived after the later one does not count for it.
    const afterIt = queue.expectLater(start + 4_000);
    expect(queue.estimateWaitMs(later, start + 3_000)).toBe(behindIt);
    turnCame.stop();
    afterIt.stop();
    expect(queue.estimateWaitMs(later, start + 3_000)).toBe(alone);
    await clock.advance(start + 61_000 - clock.now());
    expect((await waiting).kind).toBe("selected");
  });
  it("tells a message still to come how long it will wait, costing what a waiter typically does, behind only those ahead of it", async () => {
    const { clock, registry, queue } = setUp();
    const start = clock.now();
    await fillInTwoHalves(registry, clock);
    const coming = queue.expectLater(start + 2_000);
    // Nobody waits for quota: there is no telling what it will cost, nor need to.
    expect(coming.estimateWaitMs(600_000)).toBeUndefined();
    const waiting = queue.wait({ call: callCosting(4_000, start + 1_000), excluded: new Set() }, start + 1_000, start + 600_000);
    await clock.advance(0);
    // The one waiting takes the 4,000 that leave first; this one, costing as much, the next room.
    const told = coming.estimateWaitMs(600_000);
    expect(clock.now() + told!).toBeGreaterThan(start + 61_000);
    // Not counted ahead of itself (it would wait for the minute after).
    expect(clock.now() + told!).toBeLessThan(start + 62_500);
    // One that arrived after it takes nothing from it.
    const later = queue.wait({ call: callCosting(4_000, start + 3_000), excluded: new Set() }, start + 3_000, start + 600_000);
    await clock.advance(0);
    expect(coming.estimateWaitMs(600_000)).toBe(told);
    coming.stop();
    await clock.advance(3 * 60_000);
    expect((await waiting).kind).toBe("selected");
    expect((await later).kind).toBe("selected");
  });
});
