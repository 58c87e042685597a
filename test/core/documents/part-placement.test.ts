import { describe, expect, it } from "vitest";
import { nextPlacement, type PlacementRules } from "../../../src/core/documents/part-placement.js";
import { PoolSnapshot } from "../../../src/core/documents/reading-pool.js";
import { ModelCatalog } from "../../../src/core/models/catalog.js";
import { defaultChains } from "../../../src/core/models/default-chains.js";
import { ModelRegistry } from "../../../src/core/models/model-registry.js";
import { silentLogger } from "../../../src/core/ports/logger.js";

const now = Date.UTC(2026, 11, 1, 12);
const models = ["openai/gpt-oss-120b", "openai/gpt-oss-20b", "qwen/qwen3.6-27b"];
const rules: PlacementRules = { headroomTokens: 1_500, maxMinuteShare: 0.9, completionBudget: 400, promptOverheadTokens: 200 };
/** The text a part may carry in a reservation of `tokens`: the prompt with the selector's 10% margin, and the budget. */
const textIn = (tokens: number): number => Math.floor((tokens - 400) / 1.1) - 200;

function registry(): ModelRegistry {
  return new ModelRegistry(new ModelCatalog(), defaultChains, silentLogger, now);
}

/** Another user's call (or this reading's, with `mine`), sent now. */
function charge(models: ModelRegistry, model: string, tokens: number): void {
  const state = models.state(model);
  state.markSent(state.reserve(now, tokens), now);
}

describe("where a reading's next part goes", () => {
  it("fills the emptiest model's whole minute while another model keeps room for ordinary answers", () => {
    const placement = nextPlacement(PoolSnapshot.of(registry(), models, now, [], 400), now, rules);
    expect(placement).toEqual({ model: "openai/gpt-oss-120b", textRoom: textIn(8_000), fallbacks: ["openai/gpt-oss-20b", "qwen/qwen3.6-27b"] });
  });

  it("keeps room for one ordinary answer on the last model with room", () => {
    const pool = registry();
    const mine = models.slice(0, 2).map((model) => ({ model, expiresAt: now + 60_500, tokens: 8_000 }));
    for (const model of models.slice(0, 2)) charge(pool, model, 8_000);
    const placement = nextPlacement(PoolSnapshot.of(pool, models, now, mine, 400), now, { ...rules, maxMinuteShare: 1 });
    expect(placement?.model).toBe("qwen/qwen3.6-27b");
    expect(placement?.textRoom).toBe(textIn(8_000 - 1_500));
  });

  it("keeps twice what others hold now free while they are busy, and nothing is placed once they need it all", () => {
    const pool = registry();
    charge(pool, "openai/gpt-oss-120b", 3_000);
    const placement = nextPlacement(PoolSnapshot.of(pool, models, now, [], 400), now, rules);
    // The two empty models have room for the 6,000 kept free: the first of them takes a whole minute.
    expect(placement).toMatchObject({ model: "openai/gpt-oss-20b", textRoom: textIn(8_000) });
    const busier = registry();
    for (const model of models) charge(busier, model, 5_000);
    expect(nextPlacement(PoolSnapshot.of(busier, models, now, [], 400), now, rules)).toBeUndefined();
  });

  it("never holds more than its share of the models' minute", () => {
    const pool = registry();
    const mine = [{ model: "openai/gpt-oss-120b", expiresAt: now + 60_500, tokens: 8_000 }];
    charge(pool, "openai/gpt-oss-120b", 8_000);
    const placement = nextPlacement(PoolSnapshot.of(pool, models, now, mine, 400), now, { ...rules, maxMinuteShare: 0.5 });
    expect(placement?.textRoom).toBe(textIn(24_000 * 0.5 - 8_000));
  });

  it("frees as the minute passes", () => {
    const pool = registry();
    for (const model of models) charge(pool, model, 8_000);
    const snapshot = PoolSnapshot.of(pool, models, now, [], 400);
    expect(nextPlacement(snapshot, now, rules)).toBeUndefined();
    const freed = snapshot.nextChangeAfter(now) ?? 0;
    expect(freed).toBe(now + 60_500);
    expect(nextPlacement(snapshot, freed, rules)?.textRoom).toBe(textIn(8_000));
  });
});
