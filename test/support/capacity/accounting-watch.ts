import type { Mami } from "../../../src/core/mami.js";

/** What Mami believed about one model's completion accounting, and when it first knew. */
export interface AccountingBelief {
  readonly model: string;
  readonly accounting: string;
  /** When it first differed from "unknown" (ms since the epoch). */
  readonly learnedAt: number | undefined;
}

export interface AccountingWatch {
  stop(): Promise<readonly AccountingBelief[]>;
}

/**
 * Watches, from outside, whether Mami has learned from Groq's headers how a finished call counts
 * against TPM (model-state.ts): until it has, it counts every call's whole completion budget.
 * Reads what the core reports in its model status, as /status and /metrics do.
 */
export function watchAccounting(mami: Mami, models: readonly string[], everyMs = 250): AccountingWatch {
  const learnedAt = new Map<string, number>();
  const beliefs = async (): Promise<Map<string, string>> =>
    new Map((await mami.modelStatus()).map((row) => [row.model, row.quota?.completionAccounting ?? "gone"]));
  const timer = setInterval(() => {
    void beliefs().then((current) => {
      for (const model of models) if (!learnedAt.has(model) && (current.get(model) ?? "unknown") !== "unknown") learnedAt.set(model, Date.now());
    });
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      const current = await beliefs();
      return models.map((model) => ({ model, accounting: current.get(model) ?? "not listed", learnedAt: learnedAt.get(model) }));
    },
  };
}
