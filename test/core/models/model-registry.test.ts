import { describe, expect, it } from "vitest";
import { ModelCatalog } from "../../../src/core/models/catalog.js";
import { defaultChains } from "../../../src/core/models/default-chains.js";
import { ModelRegistry } from "../../../src/core/models/model-registry.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import { callThatUsedLittle } from "../../support/call-that-used-little.js";

const start = Date.UTC(2026, 11, 1, 12);
const first = "openai/gpt-oss-120b";
const second = "qwen/qwen3.6-27b";

describe("the models' registry", () => {
  it("lets every model count finished calls as Groq does, once one model's headers showed how", () => {
    const registry = new ModelRegistry(new ModelCatalog(), defaultChains, silentLogger, start);
    expect(registry.state(second).completionAccounting).toBe("unknown");
    callThatUsedLittle(registry, first, start);
    expect(registry.state(first).completionAccounting).toBe("usage_only");
    expect(registry.state(second).completionAccounting).toBe("usage_only");
  });

  it("judges headers by when the call that carried them was sent: calls sent while its answer was on its way are not in them", () => {
    const registry = new ModelRegistry(new ModelCatalog(), defaultChains, silentLogger, start);
    const state = registry.state(first);
    // Groq keeps every reservation: four finished calls of 1,000 tokens that used 300 each.
    for (let index = 0; index < 4; index += 1) {
      const reservation = state.reserve(start, 1_000);
      state.markSent(reservation, start);
      state.settle(reservation, { promptTokens: 200, completionTokens: 100, totalTokens: 300 }, 800, start);
    }
    // The call whose headers these are goes out at 0.1 s; Groq writes them as it admits it (5,000
    // used), and they arrive at 0.4 s, after three more calls went out in a burst.
    const carrier = state.reserve(start + 100, 1_000);
    state.markSent(carrier, start + 100);
    for (const at of [start + 200, start + 250, start + 300]) state.markSent(state.reserve(at, 1_000), at);
    registry.recordHeaders(first, start + 400, { tokensPerMinuteLimit: 8_000, tokensPerMinuteRemaining: 3_000, tokensPerMinuteResetMs: 60_000 }, start + 100);
    expect(state.completionAccounting).toBe("reservation_kept");
  });

  it("uses the live models that no answer chain names after the chains, unless EXTRA_MODELS is off", () => {
    const chains = { ...defaultChains, chat: [first], logic: [first], code: [first], vision: [first], long_context: [first] };
    const live = [{ id: first }, { id: "openai/gpt-oss-20b" }, { id: "qwen/qwen3.8-27b", contextWindow: 131_072 }, { id: "whisper-large-v3" }, { id: "groq/compound" }];
    const registry = new ModelRegistry(new ModelCatalog(), chains, silentLogger, start);
    registry.applyLiveModels(live);
    expect(registry.answerModels()).toEqual([first, "openai/gpt-oss-20b", "qwen/qwen3.8-27b"]);
    expect(registry.isUnlisted("qwen/qwen3.8-27b")).toBe(true);
    expect(registry.profile("qwen/qwen3.8-27b").contextWindow).toBe(131_072);
    const tied = new ModelRegistry(new ModelCatalog(), chains, silentLogger, start, false);
    tied.applyLiveModels(live);
    expect(tied.answerModels()).toEqual([first]);
  });
});
