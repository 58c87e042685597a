/**
 * The port to a model provider. One small interface, as vercel/ai has one per provider: the
 * core decides which model and what to ask; the provider speaks the wire protocol.
 */

export type MessagePart =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "image"; readonly dataUrl: string };

export interface ModelMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string | readonly MessagePart[];
}

/** How a reasoning model is told to keep its reasoning out of the answer. */
export type ReasoningFamily = "none" | "qwen" | "gpt-oss";

export interface CompletionRequest {
  readonly model: string;
  readonly messages: readonly ModelMessage[];
  readonly maxCompletionTokens: number;
  readonly reasoningFamily: ReasoningFamily;
  /** `low` for quick service calls (router, safety), `default` for answers. */
  readonly reasoningEffort: "low" | "default";
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** What the provider's rate-limit headers said; every field may be missing. */
export interface RateLimitSnapshot {
  readonly requestsPerDayLimit?: number;
  readonly requestsPerDayRemaining?: number;
  readonly requestsPerDayResetMs?: number;
  readonly tokensPerMinuteLimit?: number;
  readonly tokensPerMinuteRemaining?: number;
  readonly tokensPerMinuteResetMs?: number;
}

export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
  /** Prompt tokens served from the provider's prefix cache; Groq takes them off the limits afterwards. */
  readonly cachedPromptTokens?: number;
}

/** Why the model stopped: its own end, or the completion budget ran out (`length`). */
export type FinishReason = "stop" | "length" | "other";

/** A page a tool found or read: a web search result, or a website the system visited. */
export interface WebSource {
  readonly url: string;
  /** The page's title; empty when the provider gave none. */
  readonly title: string;
  /** The provider's relevance score for a search result, when it gives one (higher is better). */
  readonly score?: number;
}

/**
 * A tool that a compound system (Groq's `groq/compound`, `groq/compound-mini`) ran on the
 * provider's side while answering: a web search, a visited page, code it executed.
 */
export interface ExecutedTool {
  /** The provider's name for it, e.g. `search`, `visit`, `python`. */
  readonly type: string;
  /** Its arguments as the system wrote them (JSON text), e.g. the search query. */
  readonly arguments: string;
  /** The pages it found or read, in the provider's order; empty for a tool that reads no web page. */
  readonly sources: readonly WebSource[];
}

export interface StreamedCompletion {
  readonly rateLimits: RateLimitSnapshot;
  /** Content deltas, in order. Throws `ModelCallError` if the stream breaks. */
  readonly deltas: AsyncIterable<string>;
  /** Known once `deltas` has ended. */
  usage(): TokenUsage | undefined;
  /** Known once `deltas` has ended; undefined when the stream said nothing. */
  finishReason(): FinishReason | undefined;
  /**
   * Known once `deltas` has ended: the tools a compound system ran, in the order it ran them.
   * Absent (or empty) for an ordinary model.
   */
  executedTools?(): readonly ExecutedTool[];
}

export interface TranscriptionRequest {
  readonly model: string;
  readonly audio: Uint8Array;
  readonly fileName: string;
  readonly mimeType: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface Transcription {
  readonly text: string;
  readonly rateLimits: RateLimitSnapshot;
}

export interface LiveModel {
  readonly id: string;
  readonly contextWindow?: number;
  readonly maxOutputTokens?: number;
  readonly acceptsImages?: boolean;
}

export interface ModelClient {
  listModels(signal?: AbortSignal): Promise<readonly LiveModel[]>;
  /** Starts a streamed completion; resolves once the response headers arrived. */
  stream(request: CompletionRequest): Promise<StreamedCompletion>;
  transcribe(request: TranscriptionRequest): Promise<Transcription>;
}
