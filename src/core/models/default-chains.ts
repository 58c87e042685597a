import type { Role } from "../roles.js";

/**
 * ARCHITECTURE.md's chains: the design card's primary and fallback first, then the models Groq
 * serves in late 2026. Models that Groq no longer lists are pruned at start-up, so the same
 * defaults work whether or not the older models are still served.
 */
export const defaultChains: Readonly<Record<Role, readonly string[]>> = {
  chat: [
    "llama-3.3-70b-versatile",
    "meta-llama/llama-4-maverick-17b-128e-instruct",
    "openai/gpt-oss-120b",
    "qwen/qwen3.6-27b",
    "openai/gpt-oss-20b",
  ],
  logic: ["qwen/qwen3-32b", "openai/gpt-oss-120b", "qwen/qwen3.6-27b", "openai/gpt-oss-20b"],
  code: [
    "qwen/qwen3-32b",
    "moonshotai/kimi-k2-instruct-0905",
    "openai/gpt-oss-120b",
    "qwen/qwen3.6-27b",
    "openai/gpt-oss-20b",
  ],
  vision: [
    "meta-llama/llama-4-maverick-17b-128e-instruct",
    "meta-llama/llama-4-scout-17b-16e-instruct",
    "qwen/qwen3.6-27b",
  ],
  long_context: ["moonshotai/kimi-k2-instruct-0905", "openai/gpt-oss-120b", "openai/gpt-oss-20b"],
  // Groq's compound systems search the web on Groq's side; the mini one first: one search, about
  // three times faster (docs/groq.md). They answer searches only and lend no quota to other roles.
  search: ["groq/compound-mini", "groq/compound"],
  router: ["meta-llama/llama-4-scout-17b-16e-instruct", "llama-3.1-8b-instant", "openai/gpt-oss-20b"],
  safety: ["meta-llama/llama-guard-4-12b", "openai/gpt-oss-safeguard-20b"],
  // gpt-oss-safeguard reads no images: images are screened by a vision model following our
  // written policy (Llama Guard first while Groq still serves it).
  safety_vision: ["meta-llama/llama-guard-4-12b", "qwen/qwen3.6-27b"],
  transcribe: ["whisper-large-v3-turbo", "whisper-large-v3"],
};
