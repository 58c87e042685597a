import type { FakeModelSpec, RecordedCall } from "../../fakes/fake-groq/index.js";

const minuteMs = 60_000;

/** The most one model was asked for in any sliding minute, against its limits. */
export interface ModelPeak {
  readonly model: string;
  /** Calls sent (answered or refused) in the busiest minute, and the model's RPM. */
  readonly requests: number;
  readonly requestsPerMinute: number;
  /** Tokens Groq counted (prompt + completion budget, up front) in the busiest minute, and the model's TPM. */
  readonly tokens: number;
  readonly tokensPerMinute: number;
}

export interface QuotaAudit {
  readonly peaks: readonly ModelPeak[];
  /** Some model was asked for more than its limits allow in some minute. */
  readonly exceeded: boolean;
}

/**
 * What the processes together took of each model in every sliding minute ending at a call, from
 * the fake Groq's log: the calls they sent (answered, or refused with a 429) against RPM, and the
 * tokens Groq counted for the calls it took (up front, the fake's default accounting) against
 * TPM. The calls refused are counted apart (provider 429s).
 */
export function auditQuota(calls: readonly RecordedCall[], models: readonly FakeModelSpec[]): QuotaAudit {
  const chatCalls = calls.filter((call) => call.path.endsWith("/chat/completions") && (call.status === 200 || call.status === 429));
  const peaks = models
    .map((spec): ModelPeak => {
      const ofModel = chatCalls.filter((call) => call.model === spec.id).sort((first, second) => first.at - second.at);
      let requests = 0;
      let tokens = 0;
      for (const [index, call] of ofModel.entries()) {
        const window = ofModel.slice(0, index + 1).filter((earlier) => earlier.at > call.at - minuteMs);
        requests = Math.max(requests, window.length);
        tokens = Math.max(tokens, window.reduce((total, earlier) => total + (earlier.tokens?.upFront ?? 0), 0));
      }
      return { model: spec.id, requests, requestsPerMinute: spec.requestsPerMinute, tokens, tokensPerMinute: spec.tokensPerMinute };
    })
    .filter((peak) => peak.requests > 0);
  return { peaks, exceeded: peaks.some((peak) => peak.requests > peak.requestsPerMinute || peak.tokens > peak.tokensPerMinute) };
}
