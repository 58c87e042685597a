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
});
