import type { Mami } from "../../../src/core/mami.js";
import type { FakeGroq } from "../../fakes/fake-groq/index.js";

/** How far Mami's view of one model's minute was from Groq's over a run. */
export interface QuotaViewGap {
  readonly model: string;
  /** Mean over the samples of Groq's free tokens this minute less Mami's: what Mami left idle because it did not see it (negative: it saw room Groq did not have). */
  readonly meanTokensUnseen: number;
  /** The largest such gap in one sample. */
  readonly largestTokensUnseen: number;
}

export interface QuotaViewWatch {
  stop(): Promise<readonly QuotaViewGap[]>;
}

/**
 * Samples, from outside, the tokens each model has left this minute as Mami sees them (its model
 * status, as /status shows it) and as the fake Groq counts them. Calls running, or chosen while
 * their message is screened, hold a little more in Mami's view for a moment; a gap that lasts is
 * quota Mami believes spent that Groq would serve (one such fault kept 1,000 of a model's 8,000
 * tokens idle for a whole minute, unseen by every other figure).
 */
export function watchQuotaView(mami: Mami, groq: FakeGroq, models: readonly string[], tokensPerMinute: (model: string) => number, everyMs = 500): QuotaViewWatch {
  const gaps = new Map<string, number[]>(models.map((model) => [model, []]));
  const sample = async (): Promise<void> => {
    const rows = await mami.modelStatus();
    for (const model of models) {
      const seen = rows.find((row) => row.model === model)?.quota?.tokensPerMinuteRemaining;
      if (seen === undefined) continue;
      const free = Math.max(0, tokensPerMinute(model) - groq.usage(model).tokensLastMinute);
      gaps.get(model)?.push(free - seen);
    }
  };
  const timer = setInterval(() => void sample(), everyMs);
  return {
    async stop() {
      clearInterval(timer);
      return models.map((model) => {
        const samples = gaps.get(model) ?? [];
        const total = samples.reduce((sum, gap) => sum + gap, 0);
        return { model, meanTokensUnseen: samples.length === 0 ? 0 : total / samples.length, largestTokensUnseen: samples.length === 0 ? 0 : Math.max(...samples) };
      });
    },
  };
}
