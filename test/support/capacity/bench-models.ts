import { countTextTokens, freeTierModels, leastReasoningText, type FakeModelSpec } from "../../fakes/fake-groq/index.js";
import type { OracleModel } from "./oracle.js";
import type { ModelTime } from "../virtual-time.js";
import type { BurstMessage } from "./workload.js";

/**
 * The fake Groq's free-tier models, at a realistic speed: the answer models start after 150 to
 * 300 ms and stream about two tokens a chunk every few milliseconds, so a 900-token answer takes
 * about 1.5 to 2.5 s; the safety models answer their one line in about 100 ms.
 */
const speeds: Readonly<Record<string, { readonly latencyMs: number; readonly chunkDelayMs: number }>> = {
  "openai/gpt-oss-120b": { latencyMs: 300, chunkDelayMs: 5 },
  "openai/gpt-oss-20b": { latencyMs: 150, chunkDelayMs: 3 },
  "qwen/qwen3.6-27b": { latencyMs: 250, chunkDelayMs: 4 },
  "meta-llama/llama-guard-4-12b": { latencyMs: 100, chunkDelayMs: 1 },
  "openai/gpt-oss-safeguard-20b": { latencyMs: 150, chunkDelayMs: 2 },
};

export const benchModels: readonly FakeModelSpec[] = freeTierModels.map((model) => ({ ...model, ...speeds[model.id] }));

/**
 * The same models answering at once, for a burst on virtual time: there the time each call takes
 * is played on the shared clock (`benchModelTime`), not streamed in real time.
 */
export const benchModelsWithoutDelays: readonly FakeModelSpec[] = freeTierModels.map((model) => ({ ...model, latencyMs: 0, chunkDelayMs: 0 }));

/** The fake streams a few characters a chunk (about eight on average), a role chunk before them and a usage chunk after. */
const charactersPerChunk = 7.8;

/** What a call takes at the speeds above, as the fake would stream its answer in real time. */
export const benchModelTime: ModelTime = (request, answerCharacters) => {
  const speed = speeds[request.model] ?? { latencyMs: 0, chunkDelayMs: 0 };
  return speed.latencyMs + (Math.ceil(answerCharacters / charactersPerChunk) + 1) * speed.chunkDelayMs;
};

/** The live text models that answer chat, code and logic by default (late 2026). */
export const liveAnswerModelIds = ["openai/gpt-oss-120b", "openai/gpt-oss-20b", "qwen/qwen3.6-27b"] as const;

/**
 * The same models, the answer models' first byte (and so their headers) coming `latencyMs` after
 * the call: Groq under load, or a bot far from it.
 */
export function benchModelsWithFirstByteAfter(latencyMs: number): readonly FakeModelSpec[] {
  const answerModels: readonly string[] = liveAnswerModelIds;
  return benchModels.map((model) => (answerModels.includes(model.id) ? { ...model, latencyMs } : model));
}

/** A bot tied to one model gives every answer role this model. */
export const singleModelId = "openai/gpt-oss-120b";

function benchModel(id: string): FakeModelSpec {
  const spec = benchModels.find((model) => model.id === id);
  if (spec === undefined) throw new Error(`No fake Groq model ${id}`);
  return spec;
}

/** The published limits of the given models, for the oracle. */
export function oracleModels(ids: readonly string[]): OracleModel[] {
  return ids.map((id) => {
    const spec = benchModel(id);
    return { id, requestsPerMinute: spec.requestsPerMinute, requestsPerDay: spec.requestsPerDay, tokensPerMinute: spec.tokensPerMinute, tokensPerDay: spec.tokensPerDay };
  });
}

/**
 * By model id: the completion tokens each of the given models spends reasoning on `message`
 * before its answer, at its lowest effort, as the fake Groq counts them. The fake reasons about
 * the last user message, which for an answer is the user's text as Mami sends it (trimmed), and
 * counts reasoning and answer together, so the reasoning costs what it adds to the answer's count.
 */
export function leastReasoningTokensByModel(message: BurstMessage, ids: readonly string[]): ReadonlyMap<string, number> {
  return new Map(
    ids.map((id) => {
      const reasoning = leastReasoningText(benchModel(id), message.text.trim());
      return [id, countTextTokens(reasoning + message.answer) - countTextTokens(message.answer)];
    }),
  );
}
