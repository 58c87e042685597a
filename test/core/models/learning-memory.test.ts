import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompletionBudgets } from "../../../src/core/generation/completion-budgets.js";
import { ModelCatalog } from "../../../src/core/models/catalog.js";
import { defaultChains } from "../../../src/core/models/default-chains.js";
import { LearningMemory } from "../../../src/core/models/learning-memory.js";
import { ModelRegistry } from "../../../src/core/models/model-registry.js";
import type { KeyValueStore } from "../../../src/core/ports/key-value-store.js";
import { silentLogger } from "../../../src/core/ports/logger.js";
import { createKeyValueStore } from "../../../src/store/create-store.js";
import { callThatUsedLittle } from "../../support/call-that-used-little.js";

const start = Date.UTC(2026, 11, 1, 12);
const model = "openai/gpt-oss-120b";

let temporaryFolder: string;
beforeAll(async () => {
  temporaryFolder = await mkdtemp(path.join(os.tmpdir(), "mami-learning-memory-"));
});
afterAll(async () => {
  await rm(temporaryFolder, { recursive: true, force: true });
});

/** One run of the process: a registry and budgets that start from what `store` kept. */
async function processOn(store: KeyValueStore): Promise<{ registry: ModelRegistry; budgets: CompletionBudgets; memory: LearningMemory }> {
  const registry = new ModelRegistry(new ModelCatalog(), defaultChains, silentLogger, start);
  const budgets = new CompletionBudgets();
  const memory = await LearningMemory.load(store, budgets, registry, silentLogger);
  return { registry, budgets, memory };
}

describe("what was learned of Groq, across a restart", () => {
  it("starts a restarted process from the answer lengths and the accounting the run before learned", async () => {
    const file = `sqlite://${path.join(temporaryFolder, "restart.sqlite")}`;
    const before = await createKeyValueStore(file);
    const first = await processOn(before);
    expect(first.budgets.budgetFor("chat", model, "usage_only", 40)).toBe(512);
    // Chat answers of 100 to 290 tokens; and headers that show Groq counts only what was used.
    for (let index = 0; index < 20; index += 1) first.budgets.observeAnswer("chat", model, 100 + index * 10, 40);
    callThatUsedLittle(first.registry, model, start);
    const learnedBudget = first.budgets.budgetFor("chat", model, "usage_only", 40);
    expect(learnedBudget).toBeLessThan(400);
    await first.memory.written();
    await before.close();

    const after = await createKeyValueStore(file);
    const restarted = await processOn(after);
    expect(restarted.budgets.budgetFor("chat", model, "usage_only", 40)).toBe(learnedBudget);
    // Every model, not only the one whose headers showed it, and before any call of its own.
    expect(restarted.registry.state(model).completionAccounting).toBe("usage_only");
    expect(restarted.registry.state("qwen/qwen3.6-27b").completionAccounting).toBe("usage_only");
    await after.close();
  });

  it("keeps the newest answers, and the latest of them when answers come faster than writes", async () => {
    const store = await createKeyValueStore("memory://");
    const { budgets, memory } = await processOn(store);
    for (let index = 0; index < 300; index += 1) budgets.observeAnswer("code", model, 1_000 + index);
    await memory.written();
    const kept = await store.get<{ answers: { completionTokens: number }[] }>("model-state", "learned");
    expect(kept?.answers).toHaveLength(256);
    expect(kept?.answers.at(-1)?.completionTokens).toBe(1_299);
    expect(kept?.answers[0]?.completionTokens).toBe(1_044);
    await store.close();
  });

  it("starts from nothing when what was kept cannot be read", async () => {
    const store = await createKeyValueStore("memory://");
    await store.set("model-state", "learned", { answers: "not a list", accounting: "sometimes" });
    const { registry, budgets } = await processOn(store);
    expect(budgets.budgetFor("chat", model, "usage_only", 40)).toBe(512);
    expect(registry.state(model).completionAccounting).toBe("unknown");

    await store.close();
  });

  it("keeps answering when what was learned cannot be written", async () => {
    const store = await createKeyValueStore("memory://");
    let writesRefused = 0;
    // The port as a store in an outage answers it: every write refused.
    const refusing: KeyValueStore = {
      sharedAcrossProcesses: false,
      get: (namespace, key) => store.get(namespace, key),
      set: () => {
        writesRefused += 1;
        return Promise.reject(new Error("store unavailable"));
      },
      delete: (namespace, key) => store.delete(namespace, key),
      close: () => store.close(),
    };
    const { budgets, memory } = await processOn(refusing);
    for (let index = 0; index < 20; index += 1) budgets.observeAnswer("chat", model, 100, 40);
    await memory.written();
    expect(writesRefused).toBeGreaterThan(0);
    expect(budgets.budgetFor("chat", model, "usage_only", 40)).toBeLessThan(512);
    await refusing.close();
  });
});
