/**
 * GROQ.md's model table with free-tier limits, as of late 2026. Models that Groq shut down are
 * "decommissioned" so that tests meet the retired ids the original design card still names;
 * llama-guard-4 is deprecated but still served, so it is live.
 */
import type { FakeModelSpec } from "./types.js";

const openAiReasoningLimits = {
  requestsPerMinute: 30,
  requestsPerDay: 1_000,
  tokensPerMinute: 8_000,
  tokensPerDay: 200_000,
  contextWindow: 131_072,
  maxOutputTokens: 65_536,
} as const;

export const freeTierModels: readonly FakeModelSpec[] = [
  { id: "llama-3.3-70b-versatile", requestsPerMinute: 30, requestsPerDay: 1_000, tokensPerMinute: 12_000, tokensPerDay: 100_000, contextWindow: 131_072, maxOutputTokens: 32_768, status: "decommissioned" },
  { id: "llama-3.1-8b-instant", requestsPerMinute: 30, requestsPerDay: 14_400, tokensPerMinute: 6_000, tokensPerDay: 500_000, contextWindow: 131_072, maxOutputTokens: 131_072, status: "decommissioned" },
  { id: "meta-llama/llama-4-maverick-17b-128e-instruct", requestsPerMinute: 30, requestsPerDay: 1_000, tokensPerMinute: 6_000, tokensPerDay: 500_000, contextWindow: 131_072, maxOutputTokens: 8_192, acceptsImages: true, status: "decommissioned" },
  { id: "meta-llama/llama-4-scout-17b-16e-instruct", requestsPerMinute: 30, requestsPerDay: 1_000, tokensPerMinute: 30_000, tokensPerDay: 500_000, contextWindow: 131_072, maxOutputTokens: 8_192, acceptsImages: true, status: "decommissioned" },
  { id: "qwen/qwen3-32b", requestsPerMinute: 60, requestsPerDay: 1_000, tokensPerMinute: 6_000, tokensPerDay: 500_000, contextWindow: 131_072, maxOutputTokens: 40_960, reasoning: "qwen", status: "decommissioned" },
  { id: "moonshotai/kimi-k2-instruct-0905", requestsPerMinute: 60, requestsPerDay: 1_000, tokensPerMinute: 10_000, tokensPerDay: 300_000, contextWindow: 262_144, maxOutputTokens: 16_384, status: "decommissioned" },
  { id: "meta-llama/llama-guard-4-12b", requestsPerMinute: 30, requestsPerDay: 14_400, tokensPerMinute: 15_000, tokensPerDay: 500_000, contextWindow: 131_072, maxOutputTokens: 1_024, acceptsImages: true, status: "live" },
  { id: "openai/gpt-oss-120b", ...openAiReasoningLimits, reasoning: "gpt-oss", status: "live" },
  { id: "openai/gpt-oss-20b", ...openAiReasoningLimits, reasoning: "gpt-oss", status: "live" },
  { id: "openai/gpt-oss-safeguard-20b", ...openAiReasoningLimits, reasoning: "gpt-oss", status: "live" },
  { id: "qwen/qwen3.6-27b", requestsPerMinute: 30, requestsPerDay: 1_000, tokensPerMinute: 8_000, tokensPerDay: 200_000, contextWindow: 131_072, maxOutputTokens: 16_384, acceptsImages: true, reasoning: "qwen", status: "live" },
  // Compound systems: Groq publishes no tokens-per-day limit for them ("-"), so the fake sets none that binds.
  { id: "groq/compound-mini", requestsPerMinute: 30, requestsPerDay: 250, tokensPerMinute: 70_000, tokensPerDay: 100_000_000, contextWindow: 131_072, maxOutputTokens: 8_192, compoundToolCalls: 1, status: "live" },
  { id: "groq/compound", requestsPerMinute: 30, requestsPerDay: 250, tokensPerMinute: 70_000, tokensPerDay: 100_000_000, contextWindow: 131_072, maxOutputTokens: 8_192, compoundToolCalls: 2, status: "live" },
  // Groq limits speech models by audio seconds, which the fake does not model; the token limits are
  // set high so that only RPM and RPD ever bind for transcription.
  { id: "whisper-large-v3-turbo", requestsPerMinute: 20, requestsPerDay: 2_000, tokensPerMinute: 1_000_000, tokensPerDay: 100_000_000, contextWindow: 448, maxOutputTokens: 448, status: "live" },
  { id: "whisper-large-v3", requestsPerMinute: 20, requestsPerDay: 2_000, tokensPerMinute: 1_000_000, tokensPerDay: 100_000_000, contextWindow: 448, maxOutputTokens: 448, status: "live" },
];

/** Speech models answer transcriptions only; chat models answer chat only. */
export function isSpeechModel(modelId: string): boolean {
  return modelId.startsWith("whisper-");
}
