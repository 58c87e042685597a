import type { ReasoningFamily } from "../ports/model-client.js";

/** Per-model limits of Groq's free tier; the headers correct them at run time. */
export interface ModelLimits {
  readonly requestsPerMinute: number;
  readonly requestsPerDay: number;
  readonly tokensPerMinute: number;
  readonly tokensPerDay: number;
}

/** What selection needs to know about a model before it sends anything. */
export interface ModelProfile {
  readonly id: string;
  readonly contextWindow: number;
  readonly maxOutputTokens: number;
  readonly acceptsImages: boolean;
  readonly reasoningFamily: ReasoningFamily;
  readonly limits: ModelLimits;
  /** True when the catalog did not know the model and the profile is a cautious guess. */
  readonly guessed: boolean;
  /** The day Groq shut the model down (GROQ.md), as YYYY-MM-DD; a live model list overrides it. */
  readonly retiredOn?: string;
}

function profile(
  id: string,
  contextWindow: number,
  maxOutputTokens: number,
  acceptsImages: boolean,
  reasoningFamily: ReasoningFamily,
  [requestsPerMinute, requestsPerDay, tokensPerMinute, tokensPerDay]: readonly [number, number, number, number],
  retiredOn?: string,
): ModelProfile {
  return {
    id,
    contextWindow,
    maxOutputTokens,
    acceptsImages,
    reasoningFamily,
    limits: { requestsPerMinute, requestsPerDay, tokensPerMinute, tokensPerDay },
    guessed: false,
    ...(retiredOn === undefined ? {} : { retiredOn }),
  };
}

/** GROQ.md's table (late 2026), free-tier limits as RPM / RPD / TPM / TPD. */
const knownModels: readonly ModelProfile[] = [
  profile("llama-3.3-70b-versatile", 131_072, 32_768, false, "none", [30, 1_000, 12_000, 100_000], "2026-08-16"),
  profile("llama-3.1-8b-instant", 131_072, 131_072, false, "none", [30, 14_400, 6_000, 500_000], "2026-08-16"),
  profile("meta-llama/llama-4-maverick-17b-128e-instruct", 131_072, 8_192, true, "none", [30, 1_000, 6_000, 500_000], "2026-03-09"),
  profile("meta-llama/llama-4-scout-17b-16e-instruct", 131_072, 8_192, true, "none", [30, 1_000, 30_000, 500_000], "2026-07-17"),
  profile("qwen/qwen3-32b", 131_072, 40_960, false, "qwen", [60, 1_000, 6_000, 500_000], "2026-07-17"),
  profile("moonshotai/kimi-k2-instruct-0905", 262_144, 16_384, false, "none", [60, 1_000, 10_000, 300_000], "2026-04-15"),
  profile("meta-llama/llama-guard-4-12b", 131_072, 1_024, true, "none", [30, 14_400, 15_000, 500_000]),
  profile("openai/gpt-oss-120b", 131_072, 65_536, false, "gpt-oss", [30, 1_000, 8_000, 200_000]),
  profile("openai/gpt-oss-20b", 131_072, 65_536, false, "gpt-oss", [30, 1_000, 8_000, 200_000]),
  profile("openai/gpt-oss-safeguard-20b", 131_072, 65_536, false, "gpt-oss", [30, 1_000, 8_000, 200_000]),
  profile("qwen/qwen3.6-27b", 131_072, 16_384, true, "qwen", [30, 1_000, 8_000, 200_000]),
  // Compound systems (web search, code execution and page visits on Groq's side): 250 requests
  // a day is what binds; Groq publishes no tokens-per-day limit for them, so none binds here.
  profile("groq/compound-mini", 131_072, 8_192, false, "none", [30, 250, 70_000, 100_000_000]),
  profile("groq/compound", 131_072, 8_192, false, "none", [30, 250, 70_000, 100_000_000]),
  profile("whisper-large-v3-turbo", 448, 448, false, "none", [20, 2_000, 1_000_000, 10_000_000]),
  profile("whisper-large-v3", 448, 448, false, "none", [20, 2_000, 1_000_000, 10_000_000]),
];

/** Cautious defaults for a model the catalog does not know: the smallest free-tier figures. */
function guessProfile(id: string): ModelProfile {
  const family: ReasoningFamily = id.startsWith("qwen/") ? "qwen" : id.startsWith("openai/gpt-oss") ? "gpt-oss" : "none";
  return {
    id,
    contextWindow: 32_768,
    maxOutputTokens: 8_192,
    acceptsImages: false,
    reasoningFamily: family,
    limits: { requestsPerMinute: 30, requestsPerDay: 1_000, tokensPerMinute: 6_000, tokensPerDay: 100_000 },
    guessed: true,
  };
}

/**
 * The catalog: known profiles, plus what Groq's model list taught us (context windows, image
 * input). Unknown ids get a cautious guess rather than a refusal, so operators can add new
 * models to a chain without a release.
 */
export class ModelCatalog {
  private readonly profiles = new Map<string, ModelProfile>();

  constructor(extraProfiles: readonly ModelProfile[] = []) {
    for (const known of [...knownModels, ...extraProfiles]) this.profiles.set(known.id, known);
  }

  profileOf(id: string): ModelProfile {
    return this.profiles.get(id) ?? guessProfile(id);
  }

  isKnown(id: string): boolean {
    return this.profiles.has(id);
  }

  /** Applies what `GET /models` says about a model; the live list beats our table. */
  learn(id: string, facts: { contextWindow?: number | undefined; maxOutputTokens?: number | undefined; acceptsImages?: boolean | undefined }): void {
    const current = this.profileOf(id);
    this.profiles.set(id, {
      ...current,
      contextWindow: facts.contextWindow ?? current.contextWindow,
      maxOutputTokens: facts.maxOutputTokens ?? current.maxOutputTokens,
      acceptsImages: facts.acceptsImages ?? current.acceptsImages,
    });
  }
}
