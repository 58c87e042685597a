/** Fake of Groq's OpenAI-compatible HTTP API for tests and the benchmark; see /work/shared/GROQ.md for the behaviour it copies. */
export { startFakeGroq } from "./server.js";
export { freeTierModels } from "./free-tier-models.js";
export { countPromptTokens, countTextTokens } from "./token-count.js";
export { leastReasoningText } from "./reasoning.js";
export { formatGoDuration } from "./go-duration.js";
export { defaultSearchResults } from "./compound.js";
export type {
  ChatCall,
  FakeGroq,
  FakeGroqOptions,
  FakeModelSpec,
  FakeModelStatus,
  FakeSearchResult,
  InjectedFailure,
  ModelUsage,
  RecordedCall,
} from "./types.js";
