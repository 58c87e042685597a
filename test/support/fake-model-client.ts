import { ModelCallError, type ModelFailureKind } from "../../src/core/errors.js";
import type { CompletionRequest, FinishReason, LiveModel, ModelClient, RateLimitSnapshot, StreamedCompletion, TokenUsage, Transcription, TranscriptionRequest } from "../../src/core/ports/model-client.js";

/** What the fake answers one call with: text (cut at the budget like a model would), or a failure. */
export type FakeAnswer =
  | { readonly text: string; readonly rateLimits?: RateLimitSnapshot; readonly cachedPromptTokens?: number }
  | { readonly fail: ModelFailureKind; readonly retryAfterMs?: number; readonly window?: "minute" | "day"; readonly afterText?: string };

/** Four characters a token, as the core's estimate reads Latin text. */
const charactersPerToken = 4;

function tokensOf(text: string): number {
  return Math.ceil(text.length / charactersPerToken);
}

function promptText(request: CompletionRequest): string {
  return request.messages.map((message) => (typeof message.content === "string" ? message.content : message.content.map((part) => (part.type === "text" ? part.text : "")).join(" "))).join("\n");
}

/**
 * An in-process model client for fast core tests: no HTTP, no SDK. It records every call and
 * answers through `answer` (a function of the call), cutting text at the completion budget with
 * finish reason "length" the way a model does. Wire-level behaviour (headers, error bodies, the
 * SDK) is tested against test/fakes/fake-groq instead.
 */
export class FakeModelClient implements ModelClient {
  readonly calls: CompletionRequest[] = [];
  /** The usage each finished call reported, in the order they finished: what Groq would charge. */
  readonly reportedUsage: { readonly request: CompletionRequest; readonly usage: TokenUsage }[] = [];
  readonly transcriptions: TranscriptionRequest[] = [];

  constructor(
    private answer: (request: CompletionRequest, callIndex: number) => FakeAnswer = (request) => ({ text: `Answer from ${request.model}.` }),
    private readonly live: readonly LiveModel[] = [],
  ) {}

  answerWith(answer: (request: CompletionRequest, callIndex: number) => FakeAnswer): void {
    this.answer = answer;
  }

  callsTo(model: string): CompletionRequest[] {
    return this.calls.filter((call) => call.model === model);
  }

  async listModels(): Promise<readonly LiveModel[]> {
    return this.live;
  }

  async stream(request: CompletionRequest): Promise<StreamedCompletion> {
    this.calls.push(request);
    const planned = this.answer(request, this.calls.length - 1);
    if ("fail" in planned && planned.afterText === undefined) throw this.failure(request.model, planned);
    const full = "fail" in planned ? (planned.afterText ?? "") : planned.text;
    const budgetCharacters = request.maxCompletionTokens * charactersPerToken;
    const text = full.slice(0, budgetCharacters);
    const finishReason: FinishReason = text.length < full.length ? "length" : "stop";
    const usage: TokenUsage = {
      promptTokens: tokensOf(promptText(request)),
      completionTokens: tokensOf(text),
      totalTokens: tokensOf(promptText(request)) + tokensOf(text),
      ...("cachedPromptTokens" in planned && planned.cachedPromptTokens !== undefined ? { cachedPromptTokens: planned.cachedPromptTokens } : {}),
    };
    const brokenAfterText = "fail" in planned ? this.failure(request.model, planned) : undefined;
    let finished = false;
    const reportedUsage = this.reportedUsage;
    return {
      rateLimits: "rateLimits" in planned ? (planned.rateLimits ?? {}) : {},
      deltas: (async function* () {
        // A few pieces, so the pipeline sees a stream rather than one chunk.
        for (let start = 0; start < text.length; start += 16) yield text.slice(start, start + 16);
        if (brokenAfterText !== undefined) throw brokenAfterText;
        finished = true;
        reportedUsage.push({ request, usage });
      })(),
      usage: () => (finished ? usage : undefined),
      finishReason: () => (finished ? finishReason : undefined),
    };
  }

  async transcribe(request: TranscriptionRequest): Promise<Transcription> {
    this.transcriptions.push(request);
    return { text: `Transcript of ${request.fileName}.`, rateLimits: {} };
  }

  private failure(model: string, planned: Extract<FakeAnswer, { fail: ModelFailureKind }>): ModelCallError {
    return new ModelCallError(`fake ${planned.fail}`, {
      kind: planned.fail,
      model,
      ...(planned.retryAfterMs === undefined ? {} : { retryAfterMs: planned.retryAfterMs }),
      ...(planned.window === undefined ? {} : { window: planned.window }),
    });
  }
}
