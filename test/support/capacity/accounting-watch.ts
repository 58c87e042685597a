import type { MamiCore } from "../../../src/core/mami-core.js";
import { MamiPipeline } from "../../../src/core/pipeline/mami-pipeline.js";

/** What Mami believed about one model's completion accounting, and when it first knew. */
export interface AccountingBelief {
  readonly model: string;
  readonly accounting: string;
  /** When it first differed from "unknown" (ms since the epoch). */
  readonly learnedAt: number | undefined;
}

export interface AccountingWatch {
  stop(): readonly AccountingBelief[];
}

/**
 * Watches, from outside, whether Mami has learned from Groq's headers how a finished call counts
 * against TPM (model-state.ts): until it has, it counts every call's whole completion budget.
 * Reads the real core's model states; a core that is not the pipeline tells nothing.
 */
export function watchAccounting(core: MamiCore, models: readonly string[], everyMs = 250): AccountingWatch {
  const registry = core instanceof MamiPipeline ? core.services.registry : undefined;
  const learnedAt = new Map<string, number>();
  const read = (model: string): string => registry?.state(model).completionAccounting ?? "not visible";
  const timer = setInterval(() => {
    for (const model of models) if (!learnedAt.has(model) && read(model) !== "unknown") learnedAt.set(model, Date.now());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return models.map((model) => ({ model, accounting: read(model), learnedAt: learnedAt.get(model) }));
    },
  };
}
