/** Public types of the fake Groq server. Other test code imports them through index.ts. */

export type FakeModelStatus = "live" | "decommissioned" | "not_found";

export interface FakeModelSpec {
  id: string;
  requestsPerMinute: number;
  requestsPerDay: number;
  tokensPerMinute: number;
  tokensPerDay: number;
  contextWindow: number;
  maxOutputTokens: number;
  acceptsImages?: boolean;
  /** Reasoning family: decides which reasoning parameters are accepted and where reasoning text goes. */
  reasoning?: "qwen" | "gpt-oss";
  /** Default live. Non-live models are not listed by GET /models and answer 400 model_decommissioned / 404 model_not_found. */
  status?: FakeModelStatus;
  /**
   * Delay before Groq admits a call: checks and charges its limits, and writes the headers it
   * will send (the request's way there, a cold connection's handshake; real timers).
   */
  admissionDelayMs?: number;
  /** Delay before the response headers of a successful call (simulated model time, real timers). */
  latencyMs?: number;
  /** Delay between streamed chunks (real timers). */
  chunkDelayMs?: number;
  /**
   * A compound system (compound.ts): it makes this many web searches on its side per request
   * (groq/compound-mini: 1, groq/compound: several) and returns them in `executed_tools`.
   */
  compoundToolCalls?: number;
}

/** One web search result as Groq's compound systems return it in `search_results.results`. */
export interface FakeSearchResult {
  title: string;
  url: string;
  content: string;
  score: number;
}

export interface ChatCall {
  model: string;
  messages: unknown[];
  stream: boolean;
  /** The completion budget charged up front: max_completion_tokens, else max_tokens, else min(maxOutputTokens, 8192). */
  maxCompletionTokens: number;
  body: Record<string, unknown>;
  promptTokens: number;
}

export interface FakeGroqOptions {
  models: readonly FakeModelSpec[];
  /** Clock of the quota windows (milliseconds). The benchmark passes a virtual clock; timers for latency stay real. */
  now?: () => number;
  /** When set, any other bearer key gets 401 like Groq. */
  apiKey?: string;
  /** The answer text. Default: deterministic text derived from the model id and the last user message. */
  respond?: (call: ChatCall) => string;
  transcribe?: (audio: Uint8Array, fileName: string) => string;
  /** What a compound system's web search finds for a query. Default: compound.ts `defaultSearchResults`. */
  search?: (query: string) => FakeSearchResult[];
  /** GET /models answers 500, to test start-up without the list. */
  listModelsFails?: boolean;
  /**
   * How a finished call counts against TPM. Groq charges prompt + completion budget up front;
   * whether it gives back the unused budget afterwards is not documented (GROQ.md), so the fake
   * does either: `reservation_kept` (default) keeps the whole up-front charge, `usage_only`
   * lowers it to the prompt and the tokens really generated once the answer is complete.
   */
  completionAccounting?: "reservation_kept" | "usage_only";
  /**
   * Prompt caching as on Groq's gpt-oss models: a system message this model has seen before is
   * reported in usage.prompt_tokens_details.cached_tokens and taken off the limits afterwards.
   */
  promptCaching?: boolean;
}

export interface RecordedCall {
  /** Arrival time on the `now()` clock. */
  at: number;
  method: string;
  path: string;
  model: string | undefined;
  /** HTTP status sent; 0 when the fake never answered (an injected hang). */
  status: number;
  stream: boolean;
  /** Parsed JSON body; for a transcription the form fields, with the file as `{ name, size }`. */
  body: unknown;
  /** For a call the fake refused: the message of the error it answered with. */
  errorMessage?: string;
  /** Set when an injected failure decided this call's fate. */
  injected?: InjectedFailure["kind"];
  /** For an admitted chat call: what it was charged up front, and the prompt and completion tokens it used. */
  tokens?: { upFront: number; prompt: number; completion: number; cached: number };
}

export type InjectedFailure =
  /** Answer with that status and a Groq-shaped body. */
  | { kind: "status"; status: 500 | 502 | 503 | 498; times?: number }
  /** Stream some content chunks then destroy the socket (a non-streamed call loses its connection before any answer). */
  | { kind: "drop_stream"; afterChunks: number; times?: number }
  /** Never answer: the client must time out. */
  | { kind: "hang"; times?: number }
  /** A 429 regardless of the counters. */
  | { kind: "rate_limit"; window: "minute" | "day"; retryAfterSeconds: number; times?: number }
  /** Cut the connection as soon as the request arrives, before any status line (a reset connection). */
  | { kind: "reset"; times?: number }
  /** A 200 whose body cannot be read: truncated JSON, or server-sent events that are not JSON. */
  | { kind: "malformed_body"; times?: number }
  /** A normal answer whose x-ratelimit-* headers are missing, or present with values no parser can read. */
  | { kind: "rate_limit_headers"; headers: "missing" | "garbled"; times?: number };

export interface ModelUsage {
  requestsLastMinute: number;
  tokensLastMinute: number;
  requestsToday: number;
  tokensToday: number;
}

export interface FakeGroq {
  /** "http://127.0.0.1:PORT", without /openai/v1: the SDK adds it. */
  readonly url: string;
  readonly calls: RecordedCall[];
  /** Successful and failed chat completion calls for one model. */
  chatCallsTo(model: string): RecordedCall[];
  inject(model: string, failure: InjectedFailure): void;
  setModelStatus(model: string, status: FakeModelStatus): void;
  setResponder(respond: (call: ChatCall) => string): void;
  setSearchResults(search: (query: string) => FakeSearchResult[]): void;
  usage(model: string): ModelUsage;
  close(): Promise<void>;
}
